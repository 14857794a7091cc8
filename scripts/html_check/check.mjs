// Renders a recension report.html in headless Chromium and checks it as a
// reader would see it.
//
//   node scripts/html_check/check.mjs REPORT.html SHOT.png [--variant LEMMA,READING]
//
// Checks: the page loads from the file alone (no request but the page
// itself), no console message and no script error, the ranking table has
// its rows with rank 1 first, every variant anchor is unique, the filters
// the script adds hide what they leave out, and with --variant a site reads
// LEMMA against a highlighted READING both in the site list and in the
// aligned rows. Writes a screenshot (light), SHOT-dark.png and SHOT-print.pdf
// next to it, and prints a JSON summary. Exits 1 on a failed check.
import { chromium } from "playwright-core";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [report, shot, ...rest] = process.argv.slice(2);
if (!report || !shot) {
  console.error("usage: check.mjs REPORT.html SHOT.png [--variant LEMMA,READING]");
  process.exit(2);
}
let variant = null;
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === "--variant") {
    variant = rest[++i].split(",");
  }
}

const url = pathToFileURL(path.resolve(report)).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
  ],
});
const failures = [];
const console_ = [];
const errors = [];
const requests = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  page.on("console", (m) => console_.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url, { waitUntil: "load" });

  const dom = await page.evaluate(() => {
    const rows = [...document.querySelectorAll("table.rank tbody tr")].map((tr) =>
      [...tr.querySelectorAll("td")].slice(0, 2).map((td) => td.textContent.trim()));
    const ids = [...document.querySelectorAll("[id^=v]")].map((e) => e.id);
    const sites = [...document.querySelectorAll("ol.sites > li")].map((li) => ({
      id: li.id,
      lemma: li.querySelector(".lem")?.textContent ?? "",
      readings: [...li.querySelectorAll("mark")].map((m) => ({ text: m.textContent, cls: m.className })),
    }));
    const marks = [...document.querySelectorAll("table.band mark")].map((m) => ({
      text: m.textContent,
      cls: m.className,
      color: getComputedStyle(m).backgroundColor,
    }));
    return {
      title: document.title,
      rows,
      ids,
      sites,
      marks,
      filters: document.querySelectorAll("#filters input[type=checkbox]").length,
      clusters: document.querySelectorAll("article.cluster").length,
      external: [...document.querySelectorAll("[src], link[href]")].map((e) => e.getAttribute("src") || e.getAttribute("href")),
    };
  });

  if (dom.rows.length === 0) failures.push("no ranking rows");
  else if (dom.rows[0][0] !== "1") failures.push(`the first ranking row is ranked ${dom.rows[0][0]}, not 1`);
  if (new Set(dom.ids).size !== dom.ids.length) failures.push("variant anchors are not unique");
  if (dom.external.length > 0) failures.push(`elements load resources: ${dom.external.join(", ")}`);
  if (dom.clusters > 0 && dom.filters === 0) failures.push("the filter script added no controls");
  let found = null;
  if (variant) {
    const [lemma, reading] = variant;
    found = dom.sites.find((s) => s.lemma === lemma && s.readings.some((r) => r.text === reading));
    if (!found) failures.push(`no site reads ${lemma} against ${reading}`);
    const mark = dom.marks.find((m) => m.text === reading);
    if (!mark) failures.push(`${reading} is not highlighted in the aligned rows`);
    else if (/rgba\(0, 0, 0, 0\)|transparent/.test(mark.color)) failures.push(`${reading} has no highlight colour`);
  }

  // The filters: with every category but one unticked, no shown site is
  // of another category only.
  const filtered = await page.evaluate(() => {
    const boxes = [...document.querySelectorAll("#filters input[data-filter='data-categories']")];
    if (boxes.length < 2) return null;
    const keep = boxes[0].value;
    boxes.slice(1).forEach((b) => { b.checked = false; b.dispatchEvent(new Event("change")); });
    const shown = [...document.querySelectorAll("ol.sites > li")].filter((li) => !li.hidden && !li.closest("article").hidden);
    const wrong = shown.filter((li) => !li.getAttribute("data-categories").split(" ").includes(keep));
    boxes.forEach((b) => { b.checked = true; b.dispatchEvent(new Event("change")); });
    return { keep, shown: shown.length, wrong: wrong.length };
  });
  if (filtered && (filtered.wrong > 0 || filtered.shown === 0)) failures.push(`the category filter shows ${filtered.wrong} sites of other categories, ${filtered.shown} in all`);

  await page.screenshot({ path: shot, fullPage: false });
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = shot.replace(/\.png$/, "") + "-dark.png";
  await page.screenshot({ path: dark, fullPage: false });
  await page.emulateMedia({ colorScheme: "light", media: "print" });
  const pdf = shot.replace(/\.png$/, "") + "-print.pdf";
  await page.pdf({ path: pdf, format: "A4" });

  const own = requests.filter((r) => r !== url);
  if (own.length > 0) failures.push(`requests besides the page: ${own.join(", ")}`);
  if (console_.length > 0) failures.push(`console messages: ${console_.join(" | ")}`);
  if (errors.length > 0) failures.push(`script errors: ${errors.join(" | ")}`);

  console.log(JSON.stringify({
    page: url, screenshot: path.resolve(shot), dark: path.resolve(dark), print: path.resolve(pdf),
    title: dom.title, ranking: dom.rows, clusters: dom.clusters, sites: dom.sites.length,
    variant: found, filter: filtered, requests, console: console_, errors, failures,
  }, null, 1));
} finally {
  await browser.close();
}
process.exit(failures.length > 0 ? 1 : 0);
