// "Look up" beside each identifier in the article editor: asks the site for the citation and fills
// in the fields that are still empty. What the editor already typed is kept, and where the registry
// says otherwise, the message lists it, for the editor to decide. Without JavaScript there is no
// button, and the fields are typed by hand as before.
(function () {
  "use strict";
  var lookUpUrl = document.currentScript.dataset.lookUpUrl;
  var identifiers = { doi: "DOI", pmid: "PubMed ID", nct_id: "ClinicalTrials.gov ID" };

  function fieldLabel(input) {
    var label = document.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent.replace("*", "").trim() : input.name;
  }

  function fill(fields) {
    var kept = [];
    var filled = {};
    Object.keys(fields).forEach(function (name) {
      var input = document.getElementById("id_" + name);
      var value = String(fields[name]);
      if (!input || input.value === value) return;
      // The precision always has a value: it goes with the date, filled only when the date is.
      var empty = name === "date_precision" ? filled.published_on : input.value.trim() === "";
      if (empty) {
        filled[name] = true;
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (name !== "date_precision") {
        kept.push(fieldLabel(input) + " (the registry says “" + value + "”)");
      }
    });
    return kept;
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
      fetch(lookUpUrl + "?" + new URLSearchParams([[name, input.value]]), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().catch(function () {
            throw new Error("The site could not look this up just now; fill the fields in by hand.");
          });
        })
        .then(function (answer) {
          if (answer.error) {
            status.textContent = answer.error;
            return;
          }
          var kept = fill(answer.fields);
          var message = "Filled in from the registry: check each field before saving.";
          if (kept.length) message += " Kept what you typed in: " + kept.join("; ") + ".";
          if (answer.notice) message += " Warning: " + answer.notice + ".";
          if (answer.unreadable) message += " " + answer.unreadable + ".";
          status.textContent = message;
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
