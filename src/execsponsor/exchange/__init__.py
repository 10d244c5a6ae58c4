"""Files in and out: the CSV import engine and the CSV exports.

It sits above the apps it writes and reads (users ← customers ← program / engagements ← exchange): an import
writes users, accounts, contacts, opportunities, revenue and engagements, and the exports read sponsorships and
engagements, so none of those apps imports this one.
"""
