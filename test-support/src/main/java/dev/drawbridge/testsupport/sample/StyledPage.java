package dev.drawbridge.testsupport.sample;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /styled}: a page that loads subresources the way real apps do, a stylesheet, a script and an image
 * ({@code /assets/...}, relative URLs), so a browser test sees several requests of one page, e.g. multiplexed on one
 * HTTP/2 connection. The script marks the page ({@code data-script="ran"}) and the stylesheet colours the heading.
 */
final class StyledPage {
    private static final Map<String, String[]> ASSETS = Map.of(
            "/assets/sample.css", new String[]{"text/css; charset=utf-8", "h1 { color: rgb(0, 128, 0); }\n"},
            "/assets/sample.js", new String[]{"text/javascript; charset=utf-8", "document.body.dataset.script = 'ran';\n"},
            "/assets/logo.svg", new String[]{"image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\">"
                    + "<rect width=\"40\" height=\"20\" fill=\"teal\"/></svg>\n"});

    private StyledPage() {
    }

    static void page(Response response, Callback callback) {
        SampleHandler.send(response, callback, HttpStatus.OK_200, SampleHandler.HTML, """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>Styled page</title>
                <link rel="stylesheet" href="assets/sample.css">
                </head>
                <body>
                <h1>Styled page</h1>
                <img id="logo" src="assets/logo.svg" alt="logo">
                <script src="assets/sample.js"></script>
                </body>
                </html>
                """);
    }

    /** Whether {@code path} is one of the page's assets, served if so. */
    static boolean asset(String path, Response response, Callback callback) {
        Optional<String[]> asset = Optional.ofNullable(ASSETS.get(path));
        asset.ifPresent(a -> SampleHandler.send(response, callback, HttpStatus.OK_200, a[0], a[1]));
        return asset.isPresent();
    }
}
