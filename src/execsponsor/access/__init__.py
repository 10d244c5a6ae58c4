"""Who may see and change what, in one place, used alike by pages, the API, the command line and jobs.

- `visibility.py` — what a user sees: `visible_accounts(user)` and its kin. Contacts, opportunities,
  engagements and sponsorships are reached through their account and so inherit it.
- `rules.py` — what a user may do: `rules` predicates and the `execsponsor.*` permissions built from them,
  and the one way to check one: `can(user, perm, obj)` (a bool, for pages that offer a button) and
  `require(user, perm, obj, to=…)` (raises `NotPermitted`, for services and endpoints). Views use
  `permission_required(perm)`, the `rules` view decorator answering 403.

Every check needs a real user: `None` is refused. The command line and background jobs act as the system
user (`users.services.system_user`) or the user named with `--user`.

This package is a Django app (so `rules` finds `rules.py` at start-up) and imports nothing here, so that
loading it does not load the models before Django is ready.
"""
