"""The admin's backup download: the same consistent backup as `esp backup`, as a file to save."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import render

from execsponsor.access.rules import permission_required
from execsponsor.backup import BackupError, backup_file_name, backup_to_temporary, vendor


class _DeletedWhenSent:
    """The temporary backup file, removed once the response has been sent (or the client went away)."""

    def __init__(self, path):
        self.path = path
        self.stream = path.open("rb")

    def read(self, size=-1):
        return self.stream.read(size)

    def close(self):
        self.stream.close()
        self.path.unlink(missing_ok=True)


@permission_required("execsponsor.manage_users")
def backup_download(request):
    if request.method != "POST":
        return render(request, "backup.html", {"vendor": vendor()})
    try:
        path = backup_to_temporary()
    except BackupError as error:
        return render(request, "backup.html", {"vendor": vendor(), "error": error.message}, status=503)
    return FileResponse(_DeletedWhenSent(path), as_attachment=True, filename=backup_file_name())
