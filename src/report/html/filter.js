// Filters by category and by source. The page is whole without this
// script: it only adds the controls and hides what they leave out.
(function () {
  "use strict";
  var box = document.getElementById("filters");
  if (!box) { return; }
  var clusters = Array.prototype.slice.call(document.querySelectorAll("article.cluster"));
  if (clusters.length === 0) { return; }
  function words(el, name) { return (el.getAttribute(name) || "").split(" ").filter(Boolean); }
  var cats = {}, srcs = {};
  clusters.forEach(function (c) {
    words(c, "data-categories").forEach(function (k) { cats[k] = true; });
    words(c, "data-sources").forEach(function (s) { srcs[s] = true; });
  });
  var names = {};
  document.querySelectorAll("table.rank tr[data-source]").forEach(function (tr) {
    var label = tr.querySelector(".src");
    names[tr.getAttribute("data-source")] = label ? label.textContent : tr.getAttribute("data-source");
  });
  function group(title, keys, label, attr) {
    var fs = document.createElement("fieldset");
    var lg = document.createElement("legend");
    lg.textContent = title;
    fs.appendChild(lg);
    keys.sort().forEach(function (k) {
      var l = document.createElement("label");
      var cb = document.createElement("input");
      cb.type = "checkbox"; cb.checked = true; cb.value = k; cb.setAttribute("data-filter", attr);
      cb.addEventListener("change", apply);
      l.appendChild(cb);
      l.appendChild(document.createTextNode(" " + label(k)));
      fs.appendChild(l);
    });
    box.appendChild(fs);
  }
  group("Categories", Object.keys(cats), function (k) { return k; }, "data-categories");
  group("Sources that read otherwise", Object.keys(srcs), function (k) { return names[k] || k; }, "data-sources");
  function chosen(attr) {
    var on = {};
    box.querySelectorAll("input[data-filter='" + attr + "']").forEach(function (cb) { if (cb.checked) { on[cb.value] = true; } });
    return on;
  }
  function matches(el, cats, srcs) {
    return words(el, "data-categories").some(function (k) { return cats[k]; }) &&
      words(el, "data-sources").some(function (s) { return srcs[s]; });
  }
  function apply() {
    var c = chosen("data-categories"), s = chosen("data-sources");
    clusters.forEach(function (cluster) {
      var any = false;
      cluster.querySelectorAll("ol.sites > li").forEach(function (li) {
        var on = matches(li, c, s);
        li.hidden = !on;
        any = any || on;
      });
      cluster.hidden = !any;
    });
  }
})();
