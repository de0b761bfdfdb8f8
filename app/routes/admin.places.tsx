import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  DeleteButton,
  editingId,
  Item,
  Items,
  FieldsError,
  formDefaults,
  ResultNotice,
  resultFor,
  useBusy,
  useResetOnSuccess,
  withParam,
} from "~/components/availability-forms";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormActions } from "~/components/form";
import {
  createLocation,
  createRoom,
  deleteLocation,
  deleteRoom,
  idInput,
  listLocations,
  locationInput,
  roomInput,
  runSetupForm,
  unknownIntent,
  updateLocation,
  updateRoom,
  type SetupResult,
} from "~/models/setup.server";
import { requireSchool, requireUser } from "~/utils/auth.server";
import { pageTitle } from "~/utils/meta";
import { useFormat } from "~/utils/format";
import { formatAddress, LOCALE_INFO } from "~/domain/locale";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Places");

const BASE_URL = "/admin/places";
const LOCATION_INTENTS = ["add-location", "edit-location", "delete-location"] as const;
const ROOM_INTENTS = ["add-room", "edit-room", "delete-room"] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  return { locations: await db.run(listLocations) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(request, context, { role: "ADMIN" });
  const { db } = requireSchool(context);
  const form = await request.formData();
  switch (form.get("intent")) {
    case "add-location":
      return runSetupForm(db, form, locationInput, async (tx, input) => {
        const location = await createLocation(tx, input);
        return `Added ${location.name}. Now add its rooms.`;
      });
    case "edit-location":
      return runSetupForm(db, form, locationInput.and(idInput), async (tx, { id, ...input }) => {
        const location = await updateLocation(tx, id, input);
        return `Saved ${location.name}.`;
      });
    case "delete-location":
      return runSetupForm(db, form, idInput, async (tx, { id }) => {
        const gone = await deleteLocation(tx, id);
        const alsoGone = [
          gone.closures ? `${gone.closures} ${gone.closures === 1 ? "closure" : "closures"}` : null,
          gone.availability ? `${gone.availability} teacher availability ${gone.availability === 1 ? "slot" : "slots"}` : null,
        ].filter(Boolean);
        return `Deleted ${gone.name}${alsoGone.length ? `, with its ${alsoGone.join(" and ")}` : ""}.`;
      });
    case "add-room":
      return runSetupForm(db, form, roomInput.extend({ locationId: idInput.shape.id }), async (tx, { locationId, ...input }) => {
        const room = await createRoom(tx, locationId, input);
        return `Added ${room.name} to ${room.locationName}.`;
      });
    case "edit-room":
      return runSetupForm(db, form, roomInput.and(idInput), async (tx, { id, ...input }) => {
        const room = await updateRoom(tx, id, input);
        return `Saved ${room.name}.`;
      });
    case "delete-room":
      return runSetupForm(db, form, idInput, async (tx, { id }) => {
        const room = await deleteRoom(tx, id);
        return `Deleted ${room.name} (${room.location.name}).`;
      });
    default:
      return unknownIntent(form);
  }
}

type Location = ReturnType<typeof useLoaderData<typeof loader>>["locations"][number];
type Room = Location["rooms"][number];

/** The last answer, if it was about this location or one of its rooms (room forms carry `locationId`). */
function aboutLocation(result: SetupResult | null, locationId: string) {
  if (!result) return null;
  if ((ROOM_INTENTS as readonly string[]).includes(result.intent)) return result.values.locationId === locationId ? result : null;
  if (result.intent === "edit-location" || (result.intent === "delete-location" && !result.ok)) return result.id === locationId ? result : null;
  return null;
}

function addressLine(l: Pick<Location, "address" | "city" | "state" | "postcode">, locale: string) {
  return formatAddress(l, locale);
}

export default function PlacesPage() {
  const fmt = useFormat();
  const { locations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() ?? null;
  const [params] = useSearchParams();
  const editLocation = locations.find((l) => l.id === editingId(result, ["edit-location"], params.get("edit"))) ?? null;
  const roomEditId = editingId(result, ["edit-room"], params.get("edit"));
  return (
    <div className="stack">
      <div>
        <p className="eyebrow">School setup</p>
        <h1>Places</h1>
        <p className="muted">Where lessons happen: your locations and the rooms in each. Online lessons need neither.</p>
      </div>
      {/* A deleted location's card is gone: its answer shows here. */}
      <ResultNotice result={result?.ok ? result : null} intents={["delete-location"]} />
      {locations.length === 0 ? (
        <section className="card">
          <h2>No locations yet</h2>
          <p className="muted">Add your first location below, then its rooms.</p>
        </section>
      ) : null}
      {locations.map((l) => (
        <section key={l.id} className="card" aria-labelledby={`location-${l.id}`} id={`place-${l.id}`}>
          {editLocation?.id === l.id ? (
            <>
              <h2 id={`location-${l.id}`}>Change {l.name}</h2>
              <LocationForm key={l.id} editing={l} result={result} />
            </>
          ) : (
            <div className="spread" style={{ alignItems: "flex-start" }}>
              <div>
                <h2 id={`location-${l.id}`}>{l.name}</h2>
                <p className="muted" style={{ margin: 0 }}>
                  {addressLine(l, fmt.locale) || "No address"}
                  {l.phone ? ` · ${l.phone}` : ""}
                </p>
              </div>
              <div className="row" style={{ gap: "0.25rem 1rem" }}>
                <Link to={`${withParam(BASE_URL, "edit", l.id)}#place-${l.id}`} aria-label={`Change ${l.name}`}>
                  Change
                </Link>
                <DeleteButton
                  action={BASE_URL}
                  intent="delete-location"
                  id={l.id}
                  label={`Delete ${l.name}`}
                  confirmText={`Delete ${l.name}? Its closures and teachers’ hours there go with it.`}
                />
              </div>
            </div>
          )}
          <h3 style={{ marginTop: "1.25rem" }}>Rooms</h3>
          <ResultNotice result={aboutLocation(result, l.id)} intents={[...LOCATION_INTENTS, ...ROOM_INTENTS]} />
          {l.rooms.length === 0 ? (
            <p className="muted">No rooms yet.</p>
          ) : (
            <Items label={`Rooms at ${l.name}`}>
              {l.rooms.map((r) =>
                r.id === roomEditId ? (
                  <li key={r.id} id={`room-${r.id}`} aria-current="true" style={{ borderBottom: "1px solid var(--line)" }}>
                    <RoomForm locationId={l.id} locationName={l.name} editing={r} result={result} />
                  </li>
                ) : (
                  <Item
                    key={r.id}
                    id={`room-${r.id}`}
                    actions={
                      <>
                        <Link to={`${withParam(BASE_URL, "edit", r.id)}#room-${r.id}`} aria-label={`Change ${r.name} at ${l.name}`}>
                          Change
                        </Link>
                        <DeleteButton
                          action={BASE_URL}
                          intent="delete-room"
                          id={r.id}
                          label={`Delete ${r.name} at ${l.name}`}
                          confirmText={`Delete ${r.name} at ${l.name}?`}
                          extra={{ locationId: l.id }}
                        />
                      </>
                    }
                  >
                    <strong>{r.name}</strong>
                    <br />
                    <span className="muted">
                      {r.capacity ? `Up to ${r.capacity} ${r.capacity === 1 ? "person" : "people"}` : "Capacity not set"} ·{" "}
                      {r.lessons ? `${r.lessons} ${r.lessons === 1 ? "lesson" : "lessons"}` : "no lessons"}
                    </span>
                  </Item>
                ),
              )}
            </Items>
          )}
          <RoomForm locationId={l.id} locationName={l.name} editing={null} result={result} />
        </section>
      ))}
      <section className="card" aria-labelledby="add-location-heading">
        <h2 id="add-location-heading">Add a location</h2>
        <ResultNotice result={result} intents={["add-location"]} />
        <LocationForm editing={null} result={result} />
      </section>
    </div>
  );
}

function LocationForm({ editing, result }: { editing: Location | null; result: SetupResult | null }) {
  const intent = editing ? "edit-location" : "add-location";
  const mine = resultFor(result, [intent]);
  const failed = mine && !mine.ok && (!editing || mine.id === editing.id) ? mine : null;
  const errors = failed?.errors ?? {};
  const values = formDefaults(
    result,
    intent,
    editing?.id ?? null,
    editing
      ? { name: editing.name, address: editing.address ?? "", city: editing.city ?? "", state: editing.state ?? "", postcode: editing.postcode ?? "", phone: editing.phone ?? "" }
      : {},
  );
  const formRef = useResetOnSuccess(result, "add-location");
  // The address fields of the school's country (its locale): "State" and "ZIP code", "County" and "Postcode"…
  const fields = LOCALE_INFO[useFormat().locale].address;
  const busy = useBusy(intent);
  return (
    <Form method="post" action={BASE_URL} preventScrollReset noValidate ref={formRef} aria-label={editing ? `Change ${editing.name}` : "Add a location"}>
      <input type="hidden" name="intent" value={intent} />
      {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
      <FieldsError result={Object.keys(errors).length ? failed : null} />
      <div className="grid">
        <Field label="Name" name="name" required defaultValue={values.name} error={errors.name} autoFocus={!!editing} maxLength={100} autoComplete="off" />
        <Field label="Street address (optional)" name="address" defaultValue={values.address} error={errors.address} maxLength={200} autoComplete="street-address" />
        <Field label="City (optional)" name="city" defaultValue={values.city} error={errors.city} maxLength={100} autoComplete="address-level2" />
        {fields.region ? <Field label={`${fields.region} (optional)`} name="state" defaultValue={values.state} error={errors.state} maxLength={100} autoComplete="address-level1" /> : null}
        <Field label={`${fields.postcode} (optional)`} name="postcode" defaultValue={values.postcode} error={errors.postcode} maxLength={20} autoComplete="postal-code" />
        <Field label="Phone (optional)" name="phone" type="tel" defaultValue={values.phone} error={errors.phone} maxLength={40} autoComplete="tel" />
      </div>
      <FormActions busy={busy} editing={!!editing} saveLabel="Save location" addLabel="Add location" cancelTo={BASE_URL} />
    </Form>
  );
}

function RoomForm({
  locationId,
  locationName,
  editing,
  result,
}: {
  locationId: string;
  locationName: string;
  editing: Room | null;
  result: SetupResult | null;
}) {
  const intent = editing ? "edit-room" : "add-room";
  const mine = resultFor(result, [intent]);
  // The add-room forms are one per location: only the one that was sent shows the answer.
  const failed = mine && !mine.ok && (editing ? mine.id === editing.id : mine.values.locationId === locationId) ? mine : null;
  const errors = failed?.errors ?? {};
  const values = failed ? failed.values : editing ? { name: editing.name, capacity: editing.capacity ? String(editing.capacity) : "" } : {};
  const formRef = useResetOnSuccess(mine?.ok && !editing && mine.values.locationId === locationId ? mine : null, "add-room");
  const busy = useBusy(intent, editing?.id);
  const title = editing ? `Change ${editing.name}` : `Add a room to ${locationName}`;
  return (
    <Form method="post" action={BASE_URL} preventScrollReset noValidate ref={formRef} aria-label={title} style={{ marginTop: "1rem" }}>
      <input type="hidden" name="intent" value={intent} />
      {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
      <input type="hidden" name="locationId" value={locationId} />
      <FieldsError result={Object.keys(errors).length ? failed : null} />
      <div className="row" style={{ alignItems: "flex-end" }}>
        <div style={{ flex: "2 1 12rem" }}>
          <Field label={editing ? "Room name" : "New room"} name="name" required defaultValue={values.name} error={errors.name} autoFocus={!!editing} maxLength={100} />
        </div>
        <div style={{ flex: "1 1 7rem" }}>
          <Field
            label="Capacity (people)"
            name="capacity"
            type="number"
            inputMode="numeric"
            min={1}
            required
            defaultValue={values.capacity}
            error={errors.capacity}
          />
        </div>
        <FormActions busy={busy} editing={!!editing} saveLabel="Save room" addLabel="Add room" cancelTo={BASE_URL} style={{ marginBottom: "1rem" }} />
      </div>
    </Form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
