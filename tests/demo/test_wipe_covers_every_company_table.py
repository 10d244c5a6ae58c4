"""Regenerating the demo wipes every row that belongs to the company: each model that points (directly or
through another) at an account, a contact or a sponsorship is in the wipe list, children before parents."""

from __future__ import annotations

from django.apps import apps

from execsponsor.demo.storage import COMPANY_MODELS

ROOTS = {"customers.Account", "customers.Contact", "program.Sponsorship"}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.object_name}"


def _company_models() -> set[str]:
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label not in ("auth", "admin")]
    found = set(ROOTS)
    grew = True
    while grew:
        grew = False
        for model in models:
            label = _label(model)
            if label in found:
                continue
            targets = {
                _label(f.related_model) for f in model._meta.concrete_fields if f.is_relation and f.related_model
            }
            # History rows point at their own model by id only: a history model belongs with the model it records.
            recorded = getattr(model, "instance_type", None)
            if targets & found or (recorded is not None and _label(recorded) in found):
                found.add(label)
                grew = True
    return found


def test_every_company_model_is_wiped_and_children_come_first():
    missing = sorted(_company_models() - set(COMPANY_MODELS))
    assert missing == []
    order = {label: i for i, label in enumerate(COMPANY_MODELS)}
    for model in apps.get_models(include_auto_created=True):
        label = _label(model)
        if label not in order:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model and _label(field.related_model) in order:
                parent = _label(field.related_model)
                if parent != label:
                    assert order[label] < order[parent], f"{label} must be wiped before {parent}"
