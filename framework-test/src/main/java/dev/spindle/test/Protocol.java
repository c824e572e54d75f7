package dev.spindle.test;

/**
 * The protocols a {@link TestClient} speaks, to run one suite over each:
 *
 * <pre>{@code
 * @ParameterizedClass
 * @EnumSource(Protocol.class)
 * class RoutingTest {
 *     @RegisterExtension
 *     static final SpindleExtension server = SpindleExtension.of(app -> ...);
 *     @Parameter
 *     Protocol protocol;
 *
 *     @Test
 *     void routes() {
 *         assertThat(server.client(protocol).get("/users/me")).hasStatus(200);
 *     }
 * }
 * }</pre>
 */
public enum Protocol {
    /** HTTP/1.1 on cleartext. */
    HTTP_1_1,
    /** HTTP/2 on cleartext, reached with {@code Upgrade: h2c} on the first request (what the JDK client does). */
    H2C,
    /** HTTP/2 over TLS, chosen by ALPN, against a twin of the server with a self-signed certificate. */
    H2
}
