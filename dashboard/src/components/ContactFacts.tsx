/** Name, email and phone as the rows of a `<dl>`: mail and call links where given, "Not given" where not. */
export function ContactFacts({ contact }: { contact: { name: string | null; email: string | null; phone: string | null } }) {
  const notGiven = <span class="muted">Not given</span>;
  return (
    <>
      <dt>Name</dt>
      <dd>{contact.name ?? notGiven}</dd>
      <dt>Email</dt>
      <dd>{contact.email ? <a href={`mailto:${contact.email}`}>{contact.email}</a> : notGiven}</dd>
      <dt>Phone</dt>
      <dd>{contact.phone ? <a href={`tel:${contact.phone}`}>{contact.phone}</a> : notGiven}</dd>
    </>
  );
}
