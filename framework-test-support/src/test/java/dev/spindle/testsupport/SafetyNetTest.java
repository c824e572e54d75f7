package dev.spindle.testsupport;

/** The nets under this module's own tests. */
class SafetyNetTest extends SafetyNetContract {}
