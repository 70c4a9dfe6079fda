import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes a pathway keeps current, so supervisors (and the standard
 * Temporal CLI and Web UI) can find stuck cases with visibility queries. Opaque ids only.
 */
export const PathwayStage = defineSearchAttributeKey('PathwayStage', SearchAttributeType.KEYWORD);
export const PathwayStageEnteredAt = defineSearchAttributeKey('PathwayStageEnteredAt', SearchAttributeType.DATETIME);
export const PathwayTeam = defineSearchAttributeKey('PathwayTeam', SearchAttributeType.KEYWORD);
export const PathwayCoordinator = defineSearchAttributeKey('PathwayCoordinator', SearchAttributeType.KEYWORD);
export const PathwayNextDeadline = defineSearchAttributeKey('PathwayNextDeadline', SearchAttributeType.DATETIME);
/** What that deadline is (`stay-limit`, `handoff-reminder`, …): the caseload's deadline-kind column. */
export const PathwayNextDeadlineKind = defineSearchAttributeKey('PathwayNextDeadlineKind', SearchAttributeType.KEYWORD);
export const PathwayFlags = defineSearchAttributeKey('PathwayFlags', SearchAttributeType.KEYWORD_LIST);
export const PathwayFacility = defineSearchAttributeKey('PathwayFacility', SearchAttributeType.KEYWORD);
/** The team a pending handoff asks to take the pathway (the receiving team's inbox); absent when none is pending. */
export const PathwayHandoffTo = defineSearchAttributeKey('PathwayHandoffTo', SearchAttributeType.KEYWORD);
/** When that handoff was asked for: how long it has waited. */
export const PathwayHandoffAt = defineSearchAttributeKey('PathwayHandoffAt', SearchAttributeType.DATETIME);
/** The peer workers who may see the pathway now (attached, the citizen consenting): their caseload. */
export const PathwayPeers = defineSearchAttributeKey('PathwayPeers', SearchAttributeType.KEYWORD_LIST);
/** A keyed hash of the citizen's CPR number, set at start by the API (ui/server/cpr.ts): never the number. */
export const PathwayCitizenKey = defineSearchAttributeKey('PathwayCitizenKey', SearchAttributeType.KEYWORD);

/** Name and type of each, for registering them with a server (`temporal server start-dev --search-attribute`). */
export const pathwaySearchAttributes = [
  PathwayStage,
  PathwayStageEnteredAt,
  PathwayTeam,
  PathwayCoordinator,
  PathwayNextDeadline,
  PathwayFlags,
  PathwayFacility,
  PathwayCitizenKey,
  PathwayHandoffTo,
  PathwayHandoffAt,
  PathwayNextDeadlineKind,
  PathwayPeers,
] as const;

/** The CLI spells types in PascalCase (KeywordList), the SDK in SCREAMING_SNAKE (KEYWORD_LIST). */
export const cliSearchAttributeType: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};
