import { describedBy, FieldError, inputClass } from './form-errors';

/**
 * A key or secret the Studio stores sealed: never shown back, so the field is empty and says
 * whether leaving it so keeps the stored one.
 */
export function SecretField({
  id,
  name,
  label,
  newLabel,
  stored,
  keepHint,
  placeholder = '',
  errors,
  className = 'text-sm',
}: {
  id: string;
  name: string;
  /** e.g. "API key". */
  label: string;
  /** With a stored value, e.g. "New API key": the label then says it replaces the stored one. */
  newLabel: string;
  stored: boolean;
  /** e.g. "leave empty to keep the stored key" */
  keepHint: string;
  placeholder?: string;
  errors: Record<string, string>;
  className?: string;
}) {
  return (
    <div className={className}>
      <label htmlFor={id}>{stored ? `${newLabel} (replaces the stored one)` : label}</label>
      <input
        id={id}
        name={name}
        type="password"
        autoComplete="off"
        placeholder={stored ? keepHint : placeholder}
        className={inputClass}
        {...describedBy(errors, name)}
      />
      <FieldError field={name} errors={errors} />
    </div>
  );
}
