/**
 * Lays chart SVGs out in a grid under a header line, as one SVG document. Each chart is nested
 * as its own <svg> element, so its coordinates and ids stay its own.
 */
export function svgGrid(opts: {
  charts: string[];
  columns: number;
  cellWidth: number;
  cellHeight: number;
  gap: number;
  header: string;
}): string {
  const { charts, columns, cellWidth, cellHeight, gap, header } = opts;
  const headerHeight = 40;
  const rows = Math.ceil(charts.length / columns);
  const width = columns * cellWidth + (columns + 1) * gap;
  const height = headerHeight + rows * cellHeight + (rows + 1) * gap;
  const cells = charts.map((svg, i) => {
    const x = gap + (i % columns) * (cellWidth + gap);
    const y = headerHeight + gap + Math.floor(i / columns) * (cellHeight + gap);
    return svg.replace(/^<svg /, `<svg x="${x}" y="${y}" `);
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#111217"/>`,
    `<text x="${gap}" y="28" fill="#ccccdc" font-family="DejaVu Sans" font-size="18">${escapeXml(header)}</text>`,
    ...cells,
    '</svg>',
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
