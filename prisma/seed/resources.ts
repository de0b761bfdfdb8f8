// The demo's learning resources: small real files made here (a PDF score and practice
// guide, a WAV backing track and metronome click), stored in the storage's private
// namespace as an upload would be, released and scheduled, with some opens recorded.
import { recordAccess } from "../../app/models/resources.server";
import type { Tx } from "../../server/db/school-db.server";
import type { Storage } from "../../server/services/storage.server";

const DAY = 86_400_000;

/** A one-page PDF with a title and a few lines of text (Helvetica), valid xref and all. */
export function makePdf(title: string, lines: string[]): Uint8Array {
  const esc = (t: string) => t.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, "-");
  const text = [`BT /F1 22 Tf 72 740 Td (${esc(title)}) Tj ET`, ...lines.map((l, i) => `BT /F1 12 Tf 72 ${700 - i * 18} Td (${esc(l)}) Tj ET`)].join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

/** A mono 8 kHz 16-bit WAV: `notes` (Hz, 0 for a rest) of `noteSeconds` each, or clicks. */
export function makeWav(notes: number[], noteSeconds: number, opts: { click?: boolean } = {}): Uint8Array {
  const rate = 8000;
  const perNote = Math.round(rate * noteSeconds);
  const samples = notes.length * perNote;
  const buf = new ArrayBuffer(44 + samples * 2);
  const v = new DataView(buf);
  const ascii = (o: number, s: string) => [...s].forEach((c, i) => v.setUint8(o + i, c.charCodeAt(0)));
  ascii(0, "RIFF");
  v.setUint32(4, 36 + samples * 2, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, "data");
  v.setUint32(40, samples * 2, true);
  notes.forEach((hz, n) => {
    for (let i = 0; i < perNote; i++) {
      const t = i / rate;
      const envelope = opts.click ? Math.exp(-t * 60) : Math.min(1, t * 40) * Math.min(1, (perNote - i) / (rate * 0.05));
      const value = hz ? Math.sin(2 * Math.PI * hz * t) * envelope * 0.4 : 0;
      v.setInt16(44 + (n * perNote + i) * 2, Math.round(value * 32767), true);
    }
  });
  return new Uint8Array(buf);
}

const G_MAJOR = [392, 262, 294, 330, 349, 392, 262, 0, 262, 440, 349, 392, 440, 494, 523, 0]; // Minuet in G, roughly

export async function seedResources(tx: Tx, storage: Storage, opts: { schoolId: string; adminId: string; studentId: string; now: Date }) {
  const { schoolId, now } = opts;
  // One of the student's lessons, with its teacher (the demo family's first child).
  const enrollment = await tx.enrollment.findFirst({
    where: { status: "ACTIVE", studentId: opts.studentId, lesson: { status: "SCHEDULED" } },
    orderBy: [{ enrolledAt: "asc" }, { id: "asc" }],
    select: { studentId: true, lesson: { select: { id: true, title: true, instructorId: true } } },
  });
  if (!enrollment) return;
  const { lesson, studentId } = enrollment;
  const store = async (bytes: Uint8Array, mime: "application/pdf" | "audio/wav", name: string) => ({
    fileKey: (await storage.putPrivate(`${schoolId}/demo-${name.replace(/\W+/g, "-")}`, bytes, mime)).key,
    fileName: name,
    fileSize: bytes.byteLength,
    fileMimeType: mime,
  });
  const ago = (days: number) => new Date(now.getTime() - days * DAY);

  const score = await tx.resource.create({
    data: {
      title: "Minuet in G — score",
      description: "Bach, BWV Anh. 114. Practise bars 1–16 hands separately first.",
      type: "MUSIC_SCORE",
      visibility: "LESSON_GROUP",
      lessonId: lesson.id,
      uploadedById: lesson.instructorId,
      releasedAt: ago(9),
      announcedAt: ago(9),
      ...(await store(makePdf("Minuet in G", ["J. S. Bach (attr.), BWV Anh. 114", "Bars 1-16: hands separately, then together.", "Tempo: crotchet = 80 to start."]), "application/pdf", "minuet-in-g.pdf")),
    },
    select: { id: true },
  });
  const track = await tx.resource.create({
    data: {
      title: "Minuet in G — slow backing track",
      description: "Play along at 80 bpm; the first bar is a count-in.",
      type: "BACKING_TRACK",
      visibility: "LESSON_GROUP",
      lessonId: lesson.id,
      uploadedById: lesson.instructorId,
      releasedAt: ago(3),
      announcedAt: ago(3),
      expiresAt: new Date(now.getTime() + 60 * DAY),
      ...(await store(makeWav(G_MAJOR, 0.375), "audio/wav", "minuet-backing-80bpm.wav")),
    },
    select: { id: true },
  });
  await tx.resource.create({
    data: {
      title: "How to practise: a weekly plan",
      description: "Short daily sessions beat one long one. A plan for every level.",
      type: "PRACTICE_GUIDE",
      visibility: "PUBLIC_SCHOOL",
      uploadedById: opts.adminId,
      releasedAt: ago(20),
      announcedAt: ago(20),
      ...(await store(makePdf("How to practise", ["1. Warm up: scales, 5 minutes.", "2. The hard bars first, slowly.", "3. Play the whole piece once.", "4. Finish with something you enjoy."]), "application/pdf", "practice-plan.pdf")),
    },
  });
  await tx.resource.create({
    data: {
      title: "Listening: a recording of the minuet",
      type: "EXAMPLE_RECORDING",
      visibility: "LESSON_GROUP",
      lessonId: lesson.id,
      uploadedById: lesson.instructorId,
      linkUrl: "https://www.youtube.com/results?search_query=minuet+in+g+bach",
      releasedAt: ago(6),
      announcedAt: ago(6),
    },
  });
  await tx.resource.create({
    data: {
      title: "Notes from our last lesson",
      description: "Keep the wrist loose in bars 9–12.",
      type: "LESSON_NOTE",
      visibility: "PRIVATE",
      lessonId: lesson.id,
      uploadedById: lesson.instructorId,
      releasedAt: ago(1),
      announcedAt: ago(1),
      audience: { create: [{ studentId }] },
      ...(await store(makePdf("Lesson notes", ["Keep the wrist loose in bars 9-12.", "Count out loud in the rests."]), "application/pdf", "lesson-notes.pdf")),
    },
  });
  // Scheduled: released next week (announced by the job then).
  await tx.resource.create({
    data: {
      title: "Metronome click, 92 bpm",
      description: "For next week: the minuet a little faster.",
      type: "METRONOME_CLICK",
      visibility: "LESSON_GROUP",
      lessonId: lesson.id,
      uploadedById: lesson.instructorId,
      releasedAt: new Date(now.getTime() + 5 * DAY),
      ...(await store(makeWav(Array.from({ length: 8 }, (_, i) => (i % 4 === 0 ? 1760 : 880)), 60 / 92, { click: true }), "audio/wav", "click-92bpm.wav")),
    },
  });
  // The student opened the score three times and the track once.
  for (const days of [8, 5, 2]) await recordAccess(tx, score.id, studentId, ago(days));
  await recordAccess(tx, track.id, studentId, ago(2));
}
