import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown';

describe('guide Markdown rendering', () => {
  it('renders Markdown but never raw HTML or script links written by the operator', () => {
    const html = renderToStaticMarkup(
      createElement(Markdown, {
        label: 'Guide',
        text: '## Submit\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[portal](/legal/portal) [bad](javascript:alert(1))',
      }),
    );
    expect(html).toContain('<h2>Submit</h2>');
    expect(html).toContain('<a href="/legal/portal">portal</a>');
    expect(html).not.toMatch(/<script|<img|onerror|javascript:/i);
  });
});
