package dev.spindle.test;

/** Entry point for the test kit's AssertJ assertions. */
public final class SpindleAssertions {

    private SpindleAssertions() {}

    /** Assertions on a response. */
    public static ResponseAssert assertThat(TestResponse response) {
        return new ResponseAssert(response);
    }
}
