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

    def add_error(self, field, error) -> None:
        """A form sent back with errors puts the cursor on the first field to fix, not on the one it opened with
        (htmx focuses a swapped-in `autofocus`); this covers a service's refusal put on a field after cleaning."""
        super().add_error(field, error)
        invalid = next(
            (name for name, each in self.fields.items() if name in self._errors and not each.widget.is_hidden), None
        )
        if invalid is None:
            return
        for each in self.fields.values():
            each.widget.attrs.pop("autofocus", None)
        self.fields[invalid].widget.attrs["autofocus"] = True
