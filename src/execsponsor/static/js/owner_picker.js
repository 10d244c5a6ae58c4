// The accounts list's owner picker. htmx fills #owner-options from /accounts/owners/ as you type; choosing
// an owner puts their id in the filter form's hidden "owner" field and fires "change", on which the form
// refreshes the list. Typing alone never refreshes the list, and leaving the picker restores the chosen name.
(function () {
  "use strict";

  const ready = new WeakSet();

  function setUp(root) {
    const search = root.querySelector("#id_owner_search");
    const options = root.querySelector("#owner-options");
    const field = document.getElementById("id_owner");
    if (!search || !options || !field || ready.has(root)) return;
    ready.add(root);
    let chosenName = search.value;
    // Suggestions are wanted after typing or on entering the picker; an answer that arrives after a choice
    // or after leaving the picker is dropped.
    let wanted = false;

    const choices = () => Array.from(options.querySelectorAll("[data-owner-id]"));
    function close() {
      wanted = false;
      options.replaceChildren();
      search.setAttribute("aria-expanded", "false");
    }
    function choose(button) {
      field.value = button.dataset.ownerId;
      chosenName = button.dataset.ownerName;
      search.value = chosenName;
      close();
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function move(from, step) {
      const list = choices();
      const next = list[list.indexOf(from) + step];
      if (next) next.focus();
      else if (step < 0) search.focus();
    }

    search.addEventListener("input", () => {
      wanted = true;
    });
    search.addEventListener("focus", () => {
      wanted = true;
    });
    options.addEventListener("htmx:beforeSwap", (event) => {
      if (!wanted) event.detail.shouldSwap = false;
    });
    // The text box's own change event would otherwise reach the filter form and reload the same list.
    search.addEventListener("change", (event) => event.stopPropagation());
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault(); // the empty picker form must not be submitted
        const owners = choices().filter((button) => button.dataset.ownerId);
        if (owners.length === 1 || (owners.length && search.value.trim())) choose(owners[0]);
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        move(null, 1);
      } else if (event.key === "Escape") {
        search.value = chosenName;
        close();
      }
    });
    // Keep the focus in the text box while a choice is clicked (some browsers do not focus buttons on click).
    options.addEventListener("mousedown", (event) => event.preventDefault());
    options.addEventListener("click", (event) => {
      const button = event.target.closest("[data-owner-id]");
      if (button) choose(button);
    });
    options.addEventListener("keydown", (event) => {
      const button = event.target.closest("[data-owner-id]");
      if (!button) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(button, event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Escape") {
        search.value = chosenName;
        close();
        search.focus();
      }
    });
    options.addEventListener("htmx:afterSwap", () => search.setAttribute("aria-expanded", String(choices().length > 0)));
    root.addEventListener("focusout", (event) => {
      if (event.relatedTarget && root.contains(event.relatedTarget)) return;
      search.value = chosenName;
      close();
    });
  }

  function setUpAll(element) {
    (element || document).querySelectorAll("[data-owner-picker]").forEach(setUp);
  }

  if (window.htmx) window.htmx.onLoad(setUpAll);
  else document.addEventListener("DOMContentLoaded", () => setUpAll(document));
})();
