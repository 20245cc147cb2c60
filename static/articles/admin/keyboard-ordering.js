/* Move up / Move down buttons on the saved rows of a sortable inline (django-admin-sortable2).

   Sortable2 orders rows by dragging, and its "move to first/last position" arrows are <i>
   elements that a keyboard cannot reach. Each saved row gets two real buttons that move it one
   place, number the hidden position inputs as sortable2 does after a drag (1, 2, 3… as shown),
   keep the focus on the button pressed, and say where the row is now in a live region. Rows
   not yet saved stay at the end, as with dragging: the server puts them after the last.

   When the page comes back with an error, the rows are shown in the order the editor chose,
   which their position inputs still hold. */
"use strict";

(function () {
    let status = null;

    function rowSelector(fieldset) {
        return fieldset.querySelector("table tbody") ? "tr.has_original" : ".inline-related.has_original";
    }

    function rowsOf(fieldset) {
        const rows = fieldset.querySelectorAll(rowSelector(fieldset));
        return Array.from(rows).filter((row) => row.querySelector("input._reorder_"));
    }

    function positionOf(row) {
        const value = Number.parseInt(row.querySelector("input._reorder_").value, 10);
        return Number.isNaN(value) ? 0 : value;
    }

    function nameOf(row) {
        // The row's label as the page shows it: the section's heading, the author's name.
        const label = row.querySelector("h3 .inline_label, td.original p");
        const text = label && label.firstChild && label.firstChild.nodeType === Node.TEXT_NODE;
        return (text && label.firstChild.textContent.trim()) || "this row";
    }

    function number(fieldset) {
        const rows = rowsOf(fieldset);
        const reversed = fieldset.classList.contains("reversed");
        rows.forEach((row, index) => {
            row.querySelector("input._reorder_").value = String(reversed ? rows.length - index : index + 1);
        });
    }

    function announce(message) {
        // Emptied first, so that the same message twice ("already first") is read twice.
        status.textContent = "";
        window.setTimeout(() => {
            status.textContent = message;
        }, 100);
    }

    function move(fieldset, row, button, direction) {
        const rows = rowsOf(fieldset);
        const index = rows.indexOf(row);
        const name = nameOf(row);
        const target = direction === "up" ? rows[index - 1] : rows[index + 1];
        if (!target) {
            announce(`“${name}” is already ${direction === "up" ? "first" : "last"}.`);
            return;
        }
        if (direction === "up") {
            target.before(row);
        } else {
            target.after(row);
        }
        number(fieldset);
        // Whoever numbers by order (the citing editor's preview) renumbers.
        fieldset.dispatchEvent(new CustomEvent("sections:reordered", { bubbles: true }));
        button.focus(); // moving the row took the focus away from it
        const now = rowsOf(fieldset).indexOf(row) + 1;
        announce(`“${name}” moved ${direction}: ${now} of ${rows.length}.`);
    }

    function makeButton(fieldset, row, direction) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "keyboard-ordering";
        button.textContent = direction === "up" ? "Up" : "Down";
        button.setAttribute("aria-label", `Move “${nameOf(row)}” ${direction}`);
        button.addEventListener("click", () => move(fieldset, row, button, direction));
        return button;
    }

    function restoreChosenOrder(fieldset) {
        const rows = rowsOf(fieldset);
        const sorted = rows.slice().sort((a, b) => positionOf(a) - positionOf(b));
        if (sorted.every((row, index) => row === rows[index])) {
            return;
        }
        const parent = rows[0].parentNode;
        const after = rows[rows.length - 1].nextSibling;
        sorted.forEach((row) => parent.insertBefore(row, after));
    }

    function start(fieldset) {
        restoreChosenOrder(fieldset);
        rowsOf(fieldset).forEach((row) => {
            const place = row.querySelector("span.sort");
            if (place) {
                place.prepend(makeButton(fieldset, row, "up"), makeButton(fieldset, row, "down"));
            }
        });
    }

    document.addEventListener("DOMContentLoaded", () => {
        const fieldsets = document.querySelectorAll("fieldset.sortable");
        if (!fieldsets.length) {
            return;
        }
        status = document.createElement("div");
        status.className = "keyboard-ordering-status";
        status.setAttribute("role", "status");
        status.setAttribute("aria-live", "polite");
        document.body.append(status);
        fieldsets.forEach(start);
    });
})();
