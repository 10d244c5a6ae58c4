"""Playbook and task pages. Included at the site root: the paths carry their playbooks/ and tasks/ prefixes."""

from django.urls import path

from execsponsor.playbooks import views, views_tasks

app_name = "playbooks"

urlpatterns = [
    path("playbooks/", views.playbook_list, name="playbook_list"),
    path("playbooks/new/", views.playbook_new, name="playbook_new"),
    path("playbooks/start/", views.playbook_start, name="playbook_start"),
    path("playbooks/policy/", views.policy_update, name="policy_update"),
    path("playbooks/<int:pk>/", views.playbook_detail, name="playbook_detail"),
    path("playbooks/<int:pk>/active/", views.playbook_active, name="playbook_active"),
    path("playbooks/<int:pk>/steps/", views.step_add, name="step_add"),
    path("playbooks/steps/<int:pk>/", views.step_update, name="step_update"),
    path("playbooks/steps/<int:pk>/remove/", views.step_remove, name="step_remove"),
    path("playbooks/steps/<int:pk>/move/", views.step_move, name="step_move"),
    path("playbooks/runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("playbooks/runs/<int:pk>/cancel/", views.run_cancel, name="run_cancel"),
    path("tasks/", views_tasks.task_list, name="task_list"),
    path("tasks/<int:pk>/", views_tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/complete/", views_tasks.task_complete, name="task_complete"),
    path("tasks/<int:pk>/checklist/", views_tasks.task_checklist, name="task_checklist"),
    path("tasks/<int:pk>/reopen/", views_tasks.task_reopen, name="task_reopen"),
    path("tasks/<int:pk>/snooze/", views_tasks.task_snooze, name="task_snooze"),
    path("tasks/<int:pk>/reassign/", views_tasks.task_reassign, name="task_reassign"),
    path("tasks/<int:pk>/comments/", views_tasks.task_comment, name="task_comment"),
]
