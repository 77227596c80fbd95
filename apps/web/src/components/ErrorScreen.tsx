import type { ReactNode } from 'react';
import { Link } from 'react-router';

export function ErrorScreen(props: { title: string; message: string; children?: ReactNode }) {
  return (
    <main className="screen center" role="main">
      <section className="card" aria-labelledby="screen-title">
        <h1 id="screen-title">{props.title}</h1>
        <p>{props.message}</p>
        <div className="row">
          {props.children}
          <Link className="button secondary" to="/">
            Go to the home page
          </Link>
        </div>
      </section>
    </main>
  );
}
