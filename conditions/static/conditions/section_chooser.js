// The "+" between a condition page's sections offers only the sections the page does not have yet
// (issue #29). Each section is allowed once (ConditionBodyBlock's block_counts), but Wagtail's
// chooser offers every type whatever the page holds, and only saving says a section is there twice.
//
// Wagtail's StreamBlock calls blockCountChanged() whenever a block is added, deleted or the stream
// is filled; each of its "+" controls builds its menu, when opened, from its groupedChildBlockDefs.
// So at each change every control is given the groups without the sections already at their
// maximum: deleting a section offers it again. Blocks are still found by type through the
// definition's own groups, so a section already on the page loads and saves as before.
(function () {
  "use strict";
  var streamField = window.wagtailStreamField.blocks;

  class SectionsStreamBlock extends streamField.StreamBlock {
    // The definition's groups of section types, without the types the page has as often as allowed.
    offeredBlockGroups() {
      var stream = this;
      return this.blockDef.groupedChildBlockDefs
        .map(function (group) {
          var name = group[0];
          var sections = group[1].filter(function (section) {
            var max = stream.getBlockMax(section.name);
            return typeof max !== "number" || stream.getBlockCount(section.name) < max;
          });
          return [name, sections];
        })
        .filter(function (group) {
          return group[1].length > 0;
        });
    }

    blockCountChanged() {
      super.blockCountChanged();
      var groups = this.offeredBlockGroups();
      this.inserters.forEach(function (inserter) {
        inserter.groupedChildBlockDefs = groups;
      });
    }
  }

  class SectionsStreamBlockDefinition extends streamField.StreamBlockDefinition {
    render(placeholder, prefix, initialState, initialError) {
      return new SectionsStreamBlock(this, placeholder, prefix, initialState, initialError);
    }
  }

  window.telepath.register("conditions.blocks.SectionsStreamBlock", SectionsStreamBlockDefinition);
})();
