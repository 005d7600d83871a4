// "Look up" beside each identifier in the article editor: asks the site for the citation and fills
// in the fields that are still empty. What is already there is kept, and the message says where each
// value came from: filled now from the registry, already as the registry gives it, filled by an
// earlier look-up (from which registry), typed by the editor, or saved before. An identifier another
// article already has is said so, with a link to that article, and nothing is filled. Without
// JavaScript there is no button, and the fields are typed by hand as before.
(function () {
  "use strict";
  var lookUpUrl = document.currentScript.dataset.lookUpUrl;
  var identifiers = { doi: "DOI", pmid: "PubMed ID", nct_id: "ClinicalTrials.gov ID" };
  // For each field a look-up filled while this editor was open: the registry and the value it gave.
  // A field still holding that value was filled by the look-up; one holding another was typed.
  var filledBy = {};

  function fieldLabel(input) {
    var label = document.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent.replace("*", "").trim() : input.name;
  }

  // The value the field had when the editor opened: the saved one.
  function savedValue(input) {
    if (input.tagName === "SELECT") {
      var options = Array.prototype.slice.call(input.options);
      var saved = options.filter(function (option) {
        return option.defaultSelected;
      })[0] || options[0];
      return saved ? saved.value : "";
    }
    return input.defaultValue;
  }

  function setValue(input, value) {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Fills the empty fields from `service`'s answer; says of each field where its value came from.
  function fill(service, fields) {
    var said = { filled: [], same: [], earlier: {}, typed: [], saved: [] };
    Object.keys(fields).forEach(function (name) {
      // The precision always has a value: it goes with the date, filled only when the date is.
      if (name === "date_precision") return;
      var input = document.getElementById("id_" + name);
      if (!input) return;
      var value = String(fields[name]);
      var label = fieldLabel(input);
      var differs = label + " (" + service + " says “" + value + "”)";
      var earlier = filledBy[name];
      if (input.value === value) {
        said.same.push(label);
      } else if (input.value.trim() === "") {
        setValue(input, value);
        filledBy[name] = { service: service, value: value };
        said.filled.push(label);
        var precision = document.getElementById("id_date_precision");
        if (name === "published_on" && precision && fields.date_precision) {
          setValue(precision, String(fields.date_precision));
        }
      } else if (earlier && input.value === earlier.value) {
        (said.earlier[earlier.service] = said.earlier[earlier.service] || []).push(differs);
      } else if (input.value !== savedValue(input)) {
        said.typed.push(differs);
      } else {
        said.saved.push(differs);
      }
    });
    return said;
  }

  function message(service, said) {
    var sentences = [];
    if (said.filled.length) {
      sentences.push("Filled from " + service + ": " + said.filled.join(", ") + ". Check each field before saving.");
    } else {
      sentences.push("Nothing filled from " + service + ": each field it gives already has a value.");
    }
    if (said.same.length) sentences.push("Already as " + service + " gives it: " + said.same.join(", ") + ".");
    Object.keys(said.earlier).forEach(function (earlier) {
      sentences.push(
        "Already filled from " + earlier + ", kept: " + said.earlier[earlier].join("; ") + ".",
      );
    });
    if (said.typed.length) sentences.push("Kept what you typed: " + said.typed.join("; ") + ".");
    if (said.saved.length) sentences.push("Kept what was saved: " + said.saved.join("; ") + ".");
    return sentences.join(" ");
  }

  function showDuplicate(status, answer) {
    status.textContent = answer.error + " ";
    var link = document.createElement("a");
    link.href = answer.duplicate.edit_url;
    link.textContent = "Edit “" + answer.duplicate.title + "” instead";
    status.appendChild(link);
    status.appendChild(document.createTextNode("."));
  }

  function addButton(name) {
    var input = document.getElementById("id_" + name);
    if (!input) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small button-secondary";
    button.textContent = "Look up";
    button.setAttribute("aria-describedby", "look-up-" + name + "-status");
    var status = document.createElement("p");
    status.id = "look-up-" + name + "-status";
    status.className = "help";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", button);

    button.addEventListener("click", function () {
      if (!input.value.trim()) {
        status.textContent = "Paste the " + identifiers[name] + " first.";
        return;
      }
      button.disabled = true;
      status.textContent = "Looking up…";
      var query = [[name, input.value]];
      // The article being edited, once saved, is not a duplicate of itself.
      if (input.dataset.lookUpArticle) query.push(["article", input.dataset.lookUpArticle]);
      fetch(lookUpUrl + "?" + new URLSearchParams(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().catch(function () {
            throw new Error("The site could not look this up just now; fill the fields in by hand.");
          });
        })
        .then(function (answer) {
          if (answer.duplicate) {
            showDuplicate(status, answer);
            return;
          }
          if (answer.error) {
            status.textContent = answer.error;
            return;
          }
          var text = message(answer.service, fill(answer.service, answer.fields));
          if (answer.notice) text += " Warning: " + answer.notice + ".";
          if (answer.unreadable) text += " " + answer.unreadable + ".";
          status.textContent = text;
        })
        .catch(function (error) {
          status.textContent = error.message || "The look-up failed; fill the fields in by hand.";
        })
        .finally(function () {
          button.disabled = false;
        });
    });
  }

  function start() {
    Object.keys(identifiers).forEach(addButton);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
