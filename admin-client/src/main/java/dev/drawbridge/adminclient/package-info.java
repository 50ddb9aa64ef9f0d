/**
 * The typed admin API client that the admin console, the admin CLI and the system tests share.
 *
 * <p>{@link dev.drawbridge.adminclient.AdminApi} is the contract: one method per row of the server's route table
 * ({@code AdminRoutes}), each carrying an {@link dev.drawbridge.adminclient.Operation} that names its row, with the
 * wire records of {@code dev.drawbridge.model.api} as bodies and answers. {@link dev.drawbridge.adminclient.HttpAdminApi}
 * implements it over the JDK's {@code HttpClient} and Jackson: TLS restricted to {@code TlsProfile}, the server CA as
 * trust anchor, {@code *.localhost} on loopback, a bearer credential, problem documents as
 * {@link dev.drawbridge.adminclient.AdminApiException}. A fake of {@code AdminApi} stands in for the server in view-model
 * and command tests.
 */
package dev.drawbridge.adminclient;
