// Points earned and spent per month, as an SVG bar chart drawn here (no chart library: no CDN).
const svgNs = 'http://www.w3.org/2000/svg';

function element(name, attributes, text) {
  const e = document.createElementNS(svgNs, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * months: [{ label, earned, spent }] oldest first. Two bars a month (earned, spent), the month's
 * name under them, the figures in each bar's title for screen readers and mouse users.
 */
export function monthlyChart(months, { title, earnedLabel, spentLabel, format, narrow = false }) {
  // A phone gets a narrower drawing, so that the month names stay readable when it is scaled down.
  const width = narrow ? 360 : 720, height = narrow ? 200 : 240, top = 16, bottom = 28, left = narrow ? 2 : 8;
  const max = Math.max(1, ...months.map(m => Math.max(m.earned, m.spent)));
  const slot = (width - left * 2) / months.length;
  const bar = Math.max(4, slot * 0.34);
  const svg = element('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: narrow ? 'chart narrow' : 'chart' });
  svg.append(element('line', { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, class: 'axis' }));
  months.forEach((m, i) => {
    const x = left + i * slot + slot / 2;
    const scale = v => (v / max) * (height - top - bottom);
    const earned = scale(m.earned), spent = scale(m.spent);
    const e = element('rect', { x: x - bar - 1, y: height - bottom - earned, width: bar, height: earned, class: 'earned' });
    e.append(element('title', {}, `${m.label}: ${earnedLabel} ${format(m.earned)}`));
    const s = element('rect', { x: x + 1, y: height - bottom - spent, width: bar, height: spent, class: 'spent' });
    s.append(element('title', {}, `${m.label}: ${spentLabel} ${format(m.spent)}`));
    svg.append(e, s, element('text', { x, y: height - 8, 'text-anchor': 'middle', class: 'month' }, m.label));
    if (m.earned > 0) svg.append(element('text', { x: x - bar / 2 - 1, y: height - bottom - earned - 4, 'text-anchor': 'middle', class: 'value' }, format(m.earned)));
  });
  return svg;
}
