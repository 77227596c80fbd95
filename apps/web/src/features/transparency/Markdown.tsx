import ReactMarkdown from 'react-markdown';

/**
 * Operator-written Markdown, rendered safely: react-markdown builds React elements (no
 * innerHTML), ignores raw HTML by default (`skipHtml`) and drops unsafe link protocols
 * (javascript:, data:) through its default URL transform.
 */
export function Markdown(p: { text: string; label: string }) {
  return (
    <article className="markdown" aria-label={p.label}>
      <ReactMarkdown skipHtml>{p.text}</ReactMarkdown>
    </article>
  );
}
