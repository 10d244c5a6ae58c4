// Edit in place: the server answers a form with errors (422) or a stale edit (409) with the form itself,
// showing what went wrong; htmx leaves error answers unswapped unless told otherwise.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (status === 422 || status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

