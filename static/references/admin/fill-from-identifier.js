/* “Fill from DOI/PMID” on the source form (add and change).

   A button by the identifier fields asks the admin's look-up (references/admin/lookup.py), which
   asks PubMed for a PMID or Crossref for a DOI (the PMID when both are typed), and fills the
   form with the answer: the fields the answer has, a citation key if none is typed yet, and the
   rows of the sortable author inline. Nothing is saved: the editor reads what was filled, shown
   next to the button in a live region, and presses Save. An error (“no network?”) is shown in
   the same place, and then nothing in the form has changed.

   Author rows are reused in order; rows left over are marked for deletion, or, for an editor
   who may not delete authors, kept after the new ones (with a word about them). Rows are added
   with Django's own “Add another” link, so that the formset's numbering and events stay right,
   and the hidden positions are numbered 1, 2, 3… in the order filled, as a drag would. Editors
   of a book are filled as rows whose role is “editor”, where the rows have a role.

   Loaded by templates/admin/references/source/change_form.html; no inline handlers (CSP). */
"use strict";

(function () {
    const script = document.currentScript;
    const PREFIX = "authors";

    // The form's own fields

    function input(name) {
        return document.getElementById(`id_${name}`);
    }

    function labelOf(element) {
        const label = document.querySelector(`label[for="${element.id}"]`);
        return label ? label.textContent.replace(/:\s*$/, "").trim() : element.name;
    }

    function setValue(element, value) {
        if (element.type === "checkbox") {
            element.checked = Boolean(value);
        } else {
            element.value = String(value);
        }
        element.dispatchEvent(new Event("input", { bubbles: true }));
        element.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function accepts(element, value) {
        if (element.type === "hidden" || element.disabled || element.readOnly) {
            return false;
        }
        return element.tagName !== "SELECT" || Array.from(element.options).some((o) => o.value === String(value));
    }

    /* Fill each field the form has and can take the value; the labels of those filled, in the
       order the form shows them. */
    function fillFields(fields) {
        const filled = [];
        Object.entries(fields).forEach(([name, value]) => {
            const element = input(name);
            if (element && accepts(element, value)) {
                setValue(element, value);
                filled.push(element);
            }
        });
        filled.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
        return filled.map(labelOf);
    }

    // The author rows

    function rows() {
        const pattern = new RegExp(`^${PREFIX}-\\d+$`);
        return Array.from(document.querySelectorAll(`#${PREFIX}-group [id^="${PREFIX}-"]`)).filter((row) =>
            pattern.test(row.id),
        );
    }

    function field(row, name) {
        return row.querySelector(`[name="${row.id}-${name}"]`);
    }

    function isSaved(row) {
        const id = field(row, "id");
        return Boolean(id && id.value);
    }

    function hasRoles() {
        return Boolean(document.querySelector(`#${PREFIX}-group [name$="-role"]`));
    }

    /* A new row, added by Django's “Add another” link (null if the editor may not add any). */
    function addRow() {
        const add = document.querySelector(`#${PREFIX}-group .add-row a`);
        if (!add) {
            return null;
        }
        add.click();
        const all = rows();
        return all[all.length - 1];
    }

    /* Put a row that was never saved back as the page showed it: Django ignores it then. */
    function resetRow(row) {
        row.querySelectorAll("input, select, textarea").forEach((element) => {
            if (element.type === "checkbox") {
                element.checked = element.defaultChecked;
            } else if (element.tagName === "SELECT") {
                Array.from(element.options).forEach((option) => {
                    option.selected = option.defaultSelected;
                });
            } else {
                element.value = element.defaultValue;
            }
        });
    }

    function fillRow(row, person) {
        setValue(field(row, "family"), person.family);
        setValue(field(row, "given"), person.given);
        const role = field(row, "role");
        if (role) {
            setValue(role, person.role);
        }
        const remove = field(row, "DELETE");
        if (remove) {
            remove.checked = false;
        }
    }

    /* Fill the rows with ``people`` in order; what happened to the rows, for the message. */
    function fillPeople(people) {
        const existing = rows();
        const filled = [];
        people.forEach((person, index) => {
            const row = existing[index] || addRow();
            if (row) {
                fillRow(row, person);
                filled.push(row);
            }
        });
        const removed = [];
        const kept = [];
        existing.slice(people.length).forEach((row) => {
            const remove = field(row, "DELETE");
            if (!isSaved(row)) {
                resetRow(row);
            } else if (remove) {
                remove.checked = true;
                removed.push(row);
            } else {
                kept.push(row);
            }
        });
        let previous = filled[filled.length - 1];
        kept.forEach((row) => {
            if (previous) {
                previous.after(row);
                previous = row;
            }
        });
        [...filled, ...kept].forEach((row, index) => {
            const position = row.querySelector("input._reorder_");
            if (position) {
                position.value = String(index + 1);
            }
        });
        const missing = people.length - filled.length;
        return { filled: filled.length, missing, removed: removed.length, kept: kept.length };
    }

    // Messages

    function count(number, singular, plural) {
        return `${number} ${number === 1 ? singular : plural}`;
    }

    function peopleOf(answer, withRoles) {
        const people = answer.authors.map(([family, given]) => ({ family, given, role: "author" }));
        if (withRoles) {
            answer.editors.forEach(([family, given]) => people.push({ family, given, role: "editor" }));
        }
        return people;
    }

    /* What was filled, and what became of the rows, in sentences. */
    function report(answer, labels, rowsDone, withRoles) {
        const { authors, editors } = answer;
        const rowsAre = ["earlier author row is", "earlier author rows are"];
        const filled = [...labels];
        if (authors.length) {
            filled.push(count(authors.length, "author", "authors"));
        }
        if (editors.length && withRoles) {
            filled.push(count(editors.length, "editor", "editors"));
        }
        const sentences = [`Filled from ${answer.service}: ${filled.join(", ")}.`];
        if (rowsDone.removed) {
            sentences.push(`${count(rowsDone.removed, ...rowsAre)} marked for deletion.`);
        }
        if (rowsDone.kept) {
            sentences.push(`${count(rowsDone.kept, ...rowsAre)} kept after them, as you may not delete authors.`);
        }
        if (rowsDone.missing) {
            sentences.push(`${count(rowsDone.missing, "name was", "names were")} left out: you may not add authors.`);
        }
        if (!authors.length && !editors.length) {
            sentences.push("It names no authors: the author rows are as they were.");
        }
        if (editors.length && !withRoles) {
            sentences.push(`${count(editors.length, "editor was", "editors were")} left out: the rows have no role.`);
        }
        sentences.push("Check them, then press Save: nothing is saved until you do.");
        return sentences.join(" ");
    }

    function show(status, message, isError, link) {
        status.textContent = message;
        status.classList.toggle("errornote", Boolean(isError));
        if (link) {
            const anchor = document.createElement("a");
            anchor.href = link.url;
            anchor.textContent = `Open “${link.key}”`;
            status.append(" ", anchor);
        }
    }

    // The button

    function fill(answer, status) {
        const key = input("key");
        const fields = answer.key && key && !key.value.trim() ? { ...answer.fields, key: answer.key } : answer.fields;
        const withRoles = hasRoles();
        const people = peopleOf(answer, withRoles);
        const labels = fillFields(fields);
        // A record naming nobody leaves the rows as they are, rather than delete them all.
        const rowsDone = people.length ? fillPeople(people) : { filled: 0, missing: 0, removed: 0, kept: 0 };
        show(status, report(answer, labels, rowsDone, withRoles));
    }

    function asked() {
        const pmid = input("pmid");
        const doi = input("doi");
        if (pmid && pmid.value.trim()) {
            return ["pmid", pmid.value.trim()];
        }
        return doi && doi.value.trim() ? ["doi", doi.value.trim()] : null;
    }

    async function lookUp(button, status) {
        const identifier = asked();
        if (!identifier) {
            show(status, "Type a DOI or a PMID first, then press the button again.", true);
            return;
        }
        const url = new URL(script.dataset.lookupUrl, window.location.href);
        url.searchParams.set(...identifier);
        if (script.dataset.source) {
            url.searchParams.set("source", script.dataset.source);
        }
        button.setAttribute("aria-disabled", "true");
        show(status, `Looking up ${identifier[0] === "pmid" ? "the PMID in PubMed" : "the DOI in Crossref"}…`);
        try {
            const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
            const answer = await response.json().catch(() => null);
            if (!answer) {
                const message = "The answer could not be read (has your session ended? Reload the page).";
                show(status, `${message} Nothing was changed.`, true);
            } else if (!response.ok || answer.error) {
                show(status, answer.error || "The look-up failed. Nothing was changed.", true, answer.duplicate);
            } else {
                fill(answer, status);
            }
        } catch {
            show(status, "The site could not be reached (no network?); nothing was changed.", true);
        } finally {
            button.removeAttribute("aria-disabled");
        }
    }

    function start() {
        const anchors = ["doi", "pmid"].map(input).filter(Boolean);
        if (!anchors.length || !script.dataset.lookupUrl) {
            return;
        }
        const place = document.createElement("div");
        place.className = "form-row fill-from-identifier";
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.textContent = "Fill from DOI/PMID";
        const status = document.createElement("p");
        status.setAttribute("role", "status");
        status.setAttribute("aria-live", "polite");
        place.append(button, status);
        anchors[anchors.length - 1].closest(".form-row").after(place);
        button.addEventListener("click", () => {
            if (button.getAttribute("aria-disabled") !== "true") {
                lookUp(button, status);
            }
        });
    }

    document.addEventListener("DOMContentLoaded", start);
})();
