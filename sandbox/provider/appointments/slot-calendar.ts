/**
 * The practice's schedules and slots, generated from the rota ({@linkcode sessionTemplates}) for
 * every weekday from `calendarWindow.daysBefore` days before today to `calendarWindow.daysAfter`
 * days after it, today being the UK local date of the injected clock. Nothing is random: a slot's
 * times, type, channel, status and restrictions follow from its calendar date, session and index.
 *
 * Ids encode the calendar date, so they stay the same for a given day whatever the clock says
 * and a booking keeps pointing at the same slot as the clock moves:
 * schedule `{epochDay}{sessionKey}`, slot `{epochDay}{sessionKey}{index:2}` (epoch day = whole
 * days since 1970-01-01 of the UK local date), e.g. schedule `201031`, slot `20103107`.
 *
 * @module
 */
import {
  calendarWindow,
  type SessionTemplate,
  sessionTemplates,
  type SlotVariant,
  slotVariants,
} from "./session-templates.ts";
import { epochDayWeekday, ukEpochDay, ukLocalInstant } from "./uk-time.ts";

/** One session of one day: a GP Connect `Schedule`. */
export interface CalendarSchedule {
  readonly id: string;
  readonly epochDay: number;
  readonly template: SessionTemplate;
  /** `planningHorizon`. */
  readonly start: Date;
  readonly end: Date;
}

/** One slot of a session. */
export interface CalendarSlot {
  readonly id: string;
  readonly index: number;
  readonly schedule: CalendarSchedule;
  readonly start: Date;
  readonly end: Date;
  /** `Slot.serviceType.text`. */
  readonly serviceType: string;
  readonly variant: SlotVariant;
}

/** The generated calendar, relative to the clock at each call. */
export interface SlotCalendar {
  /** Slots lying fully within `[from, to]`, by start then id. */
  readonly slotsWithin: (from: Date, to: Date) => CalendarSlot[];
  /** The slot with an id, if it is in today's window. */
  readonly slotById: (id: string) => CalendarSlot | undefined;
  /** The schedule with an id, if it is in today's window. */
  readonly scheduleById: (id: string) => CalendarSchedule | undefined;
}

/** Whether a slot id has the form this provider gives slot ids (digits only). */
export function isSlotIdWellFormed(id: string): boolean {
  return /^\d{1,18}$/.test(id);
}

function scheduleOf(epochDay: number, template: SessionTemplate): CalendarSchedule {
  return {
    id: `${epochDay}${template.key}`,
    epochDay,
    template,
    start: ukLocalInstant(epochDay, template.startMinutes),
    end: ukLocalInstant(
      epochDay,
      template.startMinutes + template.slotMinutes * template.slotCount,
    ),
  };
}

function slotOf(schedule: CalendarSchedule, index: number): CalendarSlot {
  const { template, epochDay } = schedule;
  const plain = index < 2;
  const startMinutes = template.startMinutes + index * template.slotMinutes;
  return {
    id: `${schedule.id}${String(index).padStart(2, "0")}`,
    index,
    schedule,
    start: ukLocalInstant(epochDay, startMinutes),
    end: ukLocalInstant(epochDay, startMinutes + template.slotMinutes),
    serviceType: template.slotTypes[plain ? 0 : (index + epochDay) % template.slotTypes.length]!,
    variant: slotVariants[plain ? 0 : (index + epochDay + template.key) % slotVariants.length]!,
  };
}

/**
 * The calendar for a clock.
 *
 * @example
 * ```ts
 * const calendar = slotCalendar(() => new Date("2025-01-15T10:00:00Z"));
 * calendar.slotById("20104100")?.start.toISOString(); // "2025-01-16T09:00:00.000Z"
 * ```
 */
export function slotCalendar(
  now: () => Date,
  templates: readonly SessionTemplate[] = sessionTemplates,
): SlotCalendar {
  const inWindow = (epochDay: number): boolean => {
    const today = ukEpochDay(now());
    const weekday = epochDayWeekday(epochDay);
    return epochDay >= today - calendarWindow.daysBefore &&
      epochDay <= today + calendarWindow.daysAfter && weekday >= 1 && weekday <= 5;
  };
  const byKey = new Map(templates.map((template) => [template.key, template]));

  const scheduleById = (id: string): CalendarSchedule | undefined => {
    const match = /^(\d+)(\d)$/.exec(id);
    if (!match) return undefined;
    const epochDay = Number(match[1]);
    const template = byKey.get(Number(match[2]));
    return template && inWindow(epochDay) ? scheduleOf(epochDay, template) : undefined;
  };

  // A day's slots follow from its date alone, so each day is built once, not per search; days
  // that leave the window are dropped.
  const slotsByDay = new Map<number, readonly CalendarSlot[]>();
  const slotsOfDay = (epochDay: number): readonly CalendarSlot[] => {
    let slots = slotsByDay.get(epochDay);
    if (slots === undefined) {
      slots = templates.flatMap((template) => {
        const schedule = scheduleOf(epochDay, template);
        return Array.from({ length: template.slotCount }, (_, index) => slotOf(schedule, index));
      });
      slotsByDay.set(epochDay, slots);
    }
    return slots;
  };

  return {
    slotsWithin(from, to) {
      const today = ukEpochDay(now());
      for (const day of slotsByDay.keys()) {
        if (day < today - calendarWindow.daysBefore) slotsByDay.delete(day);
      }
      const slots: CalendarSlot[] = [];
      const first = Math.max(ukEpochDay(from), today - calendarWindow.daysBefore);
      const last = Math.min(ukEpochDay(to), today + calendarWindow.daysAfter);
      for (let day = first; day <= last; day++) {
        if (!inWindow(day)) continue;
        for (const slot of slotsOfDay(day)) {
          if (slot.start >= from && slot.end <= to) slots.push(slot);
        }
      }
      return slots.sort((a, b) =>
        a.start.getTime() - b.start.getTime() || a.id.localeCompare(b.id)
      );
    },
    slotById(id) {
      const match = /^(\d+)(\d{2})$/.exec(id);
      if (!match || !isSlotIdWellFormed(id)) return undefined;
      const schedule = scheduleById(match[1]!);
      const index = Number(match[2]);
      return schedule && index < schedule.template.slotCount ? slotOf(schedule, index) : undefined;
    },
    scheduleById,
  };
}
