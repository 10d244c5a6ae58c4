"""Bootstrap styling for forms whose templates render widgets as they are."""

from __future__ import annotations

from django import forms


class StyledForm(forms.Form):
    """Gives every widget Bootstrap's class: form-select for choices, form-control for the rest."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
