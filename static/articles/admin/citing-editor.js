// The section editor (articles/admin/widgets.py): a citation picker and a preview numbered
// within the whole article.
//
// The picker is GitHub's <text-expander> element (static/vendor), which makes the textarea an
// ARIA combobox: typing "@" inside "[" asks us for a menu, arrows move through it, Enter or a
// click inserts the key, Escape closes it. The "Cite a source" button types "[@" for you.
// The preview posts every section as typed to the preview endpoint, which answers with each
// section's HTML: numbers in the order readers will see them, locators, each reference on
// hover and focus, and problems spelt out.
"use strict";
(() => {
  const DELAY = 300;
  const started = new WeakSet();

  const csrfToken = () => {
    const input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  };

  // Editors of rows that are shown and kept: not the "Add another" template, not deleted.
  const liveEditors = () =>
    [...document.querySelectorAll(".citing-editor")].filter((editor) => {
      const row = editor.closest(".inline-related");
      if (!row) return true;
      if (row.classList.contains("empty-form") || row.id.endsWith("-empty")) return false;
      const deleted = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
      return !(deleted && deleted.checked);
    });

  // --- The picker -------------------------------------------------------------------------

  // Is the "@" at `at` inside an open "[" on its line, as in "[@", "[see @" or "[@a; @"?
  const insideMark = (text, at) => {
    const opened = text.lastIndexOf("[", at);
    if (opened === -1) return false;
    const between = text.slice(opened, at);
    return !/[\]\n]/.test(between);
  };

  const option = (source, n, menuId) => {
    const item = document.createElement("li");
    item.setAttribute("role", "option");
    item.id = `${menuId}-${n}`;
    item.dataset.value = source.key;
    const key = document.createElement("span");
    key.className = "picker-key";
    key.textContent = `@${source.key}`;
    const label = document.createElement("span");
    label.className = "picker-label";
    label.textContent = source.label;
    item.append(key, " ", label);
    return item;
  };

  const menuFor = (sources, query) => {
    const menu = document.createElement("ul");
    menu.className = "citation-picker";
    menu.setAttribute("role", "listbox");
    menu.setAttribute("aria-label", "Sources to cite");
    menu.id = `picker-${Math.random().toString(36).slice(2, 8)}`;
    if (!sources.length) {
      const none = document.createElement("li");
      none.setAttribute("role", "option");
      none.setAttribute("aria-disabled", "true");
      none.textContent = query ? `No source matches “${query}”.` : "The library has no sources yet.";
      menu.append(none);
    }
    sources.forEach((source, n) => menu.append(option(source, n, menu.id)));
    return menu;
  };

  const startPicker = (expander) => {
    if (started.has(expander)) return;
    started.add(expander);
    const editor = expander.closest(".citing-editor");
    const textarea = expander.querySelector("textarea");
    const status = editor.querySelector(".picker-status");
    let closeAfter = false;
    let latest = null;

    // Answers can arrive out of order; every keystroke's menu shows the latest search's answer.
    const answer = (search) => search.then((found) => (search === latest ? found : answer(latest)));

    expander.addEventListener("text-expander-change", (event) => {
      const { text, provide } = event.detail;
      const at = textarea.selectionEnd - text.length - 1;
      if (!insideMark(textarea.value, at)) return;
      const url = `${editor.dataset.sourcesUrl}?q=${encodeURIComponent(text)}`;
      latest = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : { sources: [] }))
        .then(({ sources }) => ({ sources, query: text }));
      provide(
        answer(latest)
          .then(({ sources, query }) => {
            status.textContent = sources.length
              ? `${sources.length} source${sources.length > 1 ? "s" : ""} found. Up and down arrows to choose, Enter to cite, Escape to close.`
              : `No source matches “${query}”.`;
            return { matched: true, fragment: menuFor(sources, query) };
          })
          .catch(() => ({ matched: false })),
      );
    });

    expander.addEventListener("text-expander-value", (event) => {
      const { item } = event.detail;
      if (item.getAttribute("aria-disabled") === "true") return;
      const after = textarea.value.slice(textarea.selectionEnd);
      // Close the mark unless a "]" already follows before the next mark or line.
      closeAfter = !/^[^[\]\n]*\]/.test(after);
      event.detail.value = `@${item.dataset.value}${closeAfter ? "]" : ""}`;
      status.textContent = `Cited ${item.dataset.value}.`;
    });

    expander.addEventListener("text-expander-committed", () => {
      // Leave the cursor before the "]", ready for ", p. 12" or "; @another".
      if (!closeAfter) return;
      textarea.selectionStart = textarea.selectionEnd = textarea.selectionEnd - 1;
      closeAfter = false;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    });

    editor.querySelector(".cite-button").addEventListener("click", () => {
      textarea.focus();
      const { selectionStart: start, selectionEnd: end, value } = textarea;
      const opening = insideMark(value, start) ? "; @" : "[@";
      textarea.setRangeText(opening, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    });
  };

  // --- The preview ------------------------------------------------------------------------

  let timer = null;
  let asked = 0;

  const sectionId = (editor) => {
    const row = editor.closest(".inline-related");
    const id = row ? row.querySelector('input[type="hidden"][name$="-id"]') : null;
    if (id) return id.value ? Number(id.value) : null;
    const page = window.location.pathname.match(/\/section\/(\d+)\/change\/$/);
    return page ? Number(page[1]) : null;
  };

  const refresh = async () => {
    const editors = liveEditors();
    if (!editors.length) return;
    const article = document.querySelector("#id_article");
    const payload = {
      sections: editors.map((editor) => ({ id: sectionId(editor), body: editor.querySelector("textarea").value })),
    };
    // A section's own page: the article's other sections are read as saved.
    if (article && editors.length === 1 && !editors[0].closest(".inline-related")) payload.article = article.value;
    const mine = ++asked;
    let previews;
    try {
      const response = await fetch(editors[0].dataset.previewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: JSON.stringify(payload),
      });
      if (mine !== asked) return;
      if (!response.ok) {
        const message = await response.text();
        editors.forEach((editor) => { editor.querySelector(".citing-preview-body").innerHTML = message; });
        return;
      }
      ({ previews } = await response.json());
    } catch (error) {
      return; // offline or the server restarting: the next keystroke tries again
    }
    if (mine !== asked) return;
    editors.forEach((editor, n) => {
      editor.querySelector(".citing-preview-body").innerHTML = previews[n] || "";
    });
  };

  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, DELAY);
  };

  // A reference shown on hover or focus can be dismissed with Escape (WCAG 1.4.13), until the
  // pointer leaves the preview or the focus moves on.
  const startTips = (editor) => {
    const preview = editor.querySelector(".citing-preview-body");
    if (started.has(preview)) return;
    started.add(preview);
    preview.addEventListener("keydown", (event) => {
      if (event.key === "Escape") preview.classList.add("tips-dismissed");
    });
    const show = () => preview.classList.remove("tips-dismissed");
    preview.addEventListener("focusin", show);
    preview.addEventListener("mouseleave", show);
  };

  const startAll = () => {
    document.querySelectorAll(".citing-editor text-expander").forEach(startPicker);
    document.querySelectorAll(".citing-editor").forEach(startTips);
  };

  document.addEventListener("DOMContentLoaded", () => {
    if (!document.querySelector(".citing-editor")) return;
    startAll();
    refresh();
    const form = document.querySelector("#content-main form");
    if (form) {
      form.addEventListener("input", (event) => { if (event.target.matches(".citing-editor textarea")) later(); });
      // Deleting a row, reordering, renaming a heading: numbers may change.
      form.addEventListener("change", later);
    }
    document.addEventListener("formset:added", () => { startAll(); later(); });
    document.addEventListener("formset:removed", later);
    document.addEventListener("dragend", later);
    document.addEventListener("sections:reordered", later);
  });
})();
