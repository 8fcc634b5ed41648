/** A Task aggregate's state. */
export interface Task {
  id: string;
  title: string;
  /** 1..12 */
  month: number;
  category: string;
  completed: boolean;
  executionDate: Date | null;
  version: number;
}
