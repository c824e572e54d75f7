package dev.spindle.validation;

import dev.spindle.testsupport.SafetyNetContract;

/** BlockHound and PARANOID leak detection are really under this module's tests. */
class SafetyNetTest extends SafetyNetContract {}
