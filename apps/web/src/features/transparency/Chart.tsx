import { useEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Only the parts we draw, tree-shaken (ECharts "import on demand"); SVG so the chart is in the
// DOM, scales with the page and needs no canvas.
echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, SVGRenderer]);

export interface Series {
  label: string;
  value: number;
}

/**
 * One bar or line chart with the same numbers as a table beside it: the chart is decoration for
 * sighted users (aria-hidden), the table is what assistive technology reads.
 */
/** Axis text and lines readable on the dark cards (WCAG AA contrast against --card). */
const AXIS_TEXT = '#c9d1e0';
const AXIS_LINE = '#3a4250';

export function ChartWithTable(p: {
  title: string;
  kind: 'bar' | 'line';
  data: Series[];
  labelHeader: string;
  testId: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 16, bottom: 64 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: p.data.map((d) => d.label),
        axisLabel: { rotate: p.data.length > 4 ? 30 : 0, color: AXIS_TEXT },
        axisLine: { lineStyle: { color: AXIS_LINE } },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: AXIS_TEXT },
        splitLine: { lineStyle: { color: AXIS_LINE } },
      },
      series: [{ type: p.kind, data: p.data.map((d) => d.value), name: p.title }],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [p.kind, p.title, p.data]);
  return (
    <section className="card chart-card" aria-labelledby={`${p.testId}-title`}>
      <h3 id={`${p.testId}-title`}>{p.title}</h3>
      <div className="chart-row">
        <div
          ref={el}
          className="chart"
          data-testid={`${p.testId}-chart`}
          aria-hidden="true"
          style={{ width: '100%', maxWidth: 480, height: 260 }}
        />
        <table className="data-table" aria-label={p.title} data-testid={`${p.testId}-table`}>
          <thead>
            <tr>
              <th scope="col">{p.labelHeader}</th>
              <th scope="col">Requests</th>
            </tr>
          </thead>
          <tbody>
            {p.data.map((d) => (
              <tr key={d.label}>
                <th scope="row">{d.label}</th>
                <td>{d.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
