/** The state_reason of a withdrawn return starts with this (state 'rejected': kept in the store, feeds no figure). */
export const WITHDRAWN_PREFIX = 'withdrawn';
