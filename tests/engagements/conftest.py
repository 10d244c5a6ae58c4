"""The calendar tests' company (in calendar_support, shared with the browser tests)."""

from tests.engagements import calendar_support

calendar_company = calendar_support.calendar_company
