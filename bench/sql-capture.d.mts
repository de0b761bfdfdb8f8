export interface CapturedQuery {
  /** Which connection sent it (one id per pg client in this process). */
  id: number;
  /** The role the connection works as (`-c role=` in its options, else its user). */
  role: string | null;
  text: string;
  values: unknown[];
}
export function startCapture(): void;
export function stopCapture(): CapturedQuery[];
