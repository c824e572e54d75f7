package dev.spindle.sample.it;

import dev.spindle.testsupport.SafetyNetContract;

/** The integration tests (Failsafe) run under the same nets as the unit tests. */
class SafetyNetIT extends SafetyNetContract {}
