// A group of fields under its legend, in the DSFR's fieldset markup.
import { Children, type ReactNode } from "react";

export function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="fr-fieldset">
      <legend className="fr-fieldset__legend fr-h6">{legend}</legend>
      {Children.toArray(children).map((child, i) => (
        <div key={i} className="fr-fieldset__element">
          {child}
        </div>
      ))}
    </fieldset>
  );
}
