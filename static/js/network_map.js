/* The network map: US states coloured by the page's measure, a dot per affiliate city.
   Figures come from the json_script the table is printed from (one truth); the shapes from the
   vendored us-atlas TopoJSON. SVG, so each state with affiliates is a real link: Tab reaches it,
   Enter opens its affiliates, and its figures are read out in #map-focus. No inline style: colours
   are CSS classes, positions SVG attributes. */
(function () {
  "use strict";
  var box = document.getElementById("network-map");
  var source = document.getElementById("network-map-data");
  if (!box || !source || typeof d3 === "undefined" || typeof topojson === "undefined") return;
  var figures = JSON.parse(source.textContent);
  var focusLine = document.getElementById("map-focus");
  var SVG = "http://www.w3.org/2000/svg";
  var number = new Intl.NumberFormat(document.documentElement.lang || "en");
  var byFips = {};
  figures.rows.forEach(function (row) { if (row.fips) byFips[row.fips] = row; });

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function describe(row) {
    var value = row.value === null ? box.dataset.noData : number.format(row.value);
    return row.name + " — " + figures.label + ": " + value + "; " +
      box.dataset.affiliatesLabel + ": " + number.format(row.affiliates);
  }

  fetch(box.dataset.atlas, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (atlas) {
      var width = 975, height = 610;
      var states = topojson.feature(atlas, atlas.objects.states);
      var projection = d3.geoAlbersUsaTerritories().fitExtent([[8, 8], [width - 8, height - 8]], states);
      var path = d3.geoPath(projection);
      var svg = el("svg", { viewBox: "0 0 " + width + " " + height, class: "network-map-svg",
                             role: "group", "aria-label": box.dataset.mapLabel });
      var shapes = el("g", { class: "map-states" }, svg);
      var centres = {};
      states.features.forEach(function (feature) {
        var d = path(feature);
        if (!d) return;
        var row = byFips[feature.id];
        var code = row ? row.state : null;
        if (row) {
          var link = el("a", { href: box.dataset.affiliatesUrl + "?state=" + encodeURIComponent(row.state),
                               class: "map-state-link", "aria-label": describe(row), "data-state": row.state }, shapes);
          el("title", {}, link).textContent = describe(row);
          el("path", { d: d, class: "map-state map-b" + row.bucket }, link);
          var show = function () { focusLine.textContent = describe(row); };
          link.addEventListener("focus", show);
          link.addEventListener("mouseenter", show);
        } else {
          var plain = el("path", { d: d, class: "map-state map-b0" }, shapes);
          el("title", {}, plain).textContent = feature.properties.name;
        }
        var c = path.centroid(feature);
        if (code && isFinite(c[0])) centres[code] = c;
      });
      var dots = el("g", { class: "map-points", "aria-hidden": "true" }, svg);
      figures.points.forEach(function (point) {
        var xy = point.coordinates ? projection(point.coordinates) : centres[point.state];
        if (!xy) return;
        var r = Math.min(4 + 2 * Math.sqrt(point.affiliates.length - 1), 12);
        var dot = el("circle", { cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: r.toFixed(1),
                                 class: point.coordinates ? "map-dot-svg" : "map-dot-svg map-dot-centre-svg" }, dots);
        el("title", {}, dot).textContent = (point.city || "—") + ", " + point.state + ": " + point.affiliates.join(", ");
      });
      box.textContent = "";
      box.appendChild(svg);
      box.classList.add("is-drawn");
    })
    .catch(function () { /* the fallback text and the table stay */ });
})();
