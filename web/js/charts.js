// charts.js - ECharts (embedded in the binary under /vendor/) loaded on
// first use, with the console's calm palette and one resize handler.

let lib = null;
const live = new Set();

// The ECharts module; rejects with a readable error when the build had no
// node_modules (cmake/web.cmake warns then).
export async function echarts() {
  if (!lib) lib = await import('/vendor/echarts.esm.min.js');
  return lib;
}

export const palette = ['#2f6ea5', '#3f9b7a', '#d08b2c', '#b8463f', '#7a63a8', '#5d8aa8', '#8a9a5b', '#a0522d'];
export const sevColor = { critical: '#8e1b1b', high: '#c0392b', medium: '#d08b2c', low: '#3f7fbf', info: '#7b8794' };

// Draws option into el (a sized block element) and returns the chart;
// charts of pages left behind are disposed when el leaves the document.
export async function chart(el, option) {
  const ec = await echarts();
  const c = ec.init(el, null, { renderer: 'canvas' });
  c.setOption({
    color: palette,
    textStyle: { fontFamily: 'inherit' },
    animation: false,
    ...option,
  });
  live.add(c);
  return c;
}

window.addEventListener('resize', () => {
  for (const c of live) {
    if (!document.body.contains(c.getDom())) { c.dispose(); live.delete(c); } else c.resize();
  }
});

// Disposes charts whose elements are gone (called on every page change).
export function sweep() {
  for (const c of live) {
    if (!document.body.contains(c.getDom())) { c.dispose(); live.delete(c); }
  }
}
