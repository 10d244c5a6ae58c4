"""{% getting_started %}: the program owner's checklist, for any page (`{% load getting_started %}`)."""

from django import template

from execsponsor.home.getting_started import getting_started_steps

register = template.Library()


@register.inclusion_tag("home/getting_started.html")
def getting_started():
    steps = getting_started_steps()
    return {"steps": steps, "done": sum(step.done for step in steps)}
