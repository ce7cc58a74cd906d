// Code 128 (set C: two digits a symbol), drawn as SVG, so that the till's scanner can read the
// card number from the phone's screen. Patterns are bar/space widths in modules, symbols 0..106.
const patterns = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];
const startC = 105;
const stop = 106;
const quietZone = 10;

/** The symbols for an even number of digits in set C, with start, check symbol and stop. */
export function code128cSymbols(digits) {
  if (!/^(\d\d)+$/.test(digits)) throw new Error('Code 128 C takes an even number of digits.');
  const values = [];
  for (let i = 0; i < digits.length; i += 2) values.push(Number(digits.slice(i, i + 2)));
  const check = values.reduce((sum, v, i) => sum + v * (i + 1), startC) % 103;
  return [startC, ...values, check, stop];
}

const svgNs = 'http://www.w3.org/2000/svg';

/** An SVG barcode of the digits, with a title for screen readers. */
export function barcodeSvg(digits, label) {
  const bars = [];
  let x = quietZone;
  for (const symbol of code128cSymbols(digits)) {
    [...patterns[symbol]].forEach((w, i) => {
      const width = Number(w);
      if (i % 2 === 0) bars.push([x, width]);
      x += width;
    });
  }
  const svg = document.createElementNS(svgNs, 'svg');
  const total = x + quietZone;
  svg.setAttribute('viewBox', `0 0 ${total} 50`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.classList.add('barcode');
  const background = document.createElementNS(svgNs, 'rect');
  background.setAttribute('width', total);
  background.setAttribute('height', 50);
  background.setAttribute('fill', '#fff');
  svg.append(background);
  const path = document.createElementNS(svgNs, 'path');
  path.setAttribute('d', bars.map(([bx, w]) => `M${bx} 0h${w}v50h-${w}z`).join(''));
  path.setAttribute('fill', '#000');
  svg.append(path);
  return svg;
}
