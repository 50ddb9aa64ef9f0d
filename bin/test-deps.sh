# Sourced by test.sh (so also by .ci/run): the Debian packages the tests need, in ONE list, installed when missing.
# As root: installs only what is missing, quietly, and says how long it took (apt's output goes to a log shown on
# failure). Not root: stops at once, naming the apt-get command to run. Add a package here when a test needs one.
#   package        needed by                                               when not root
_db_test_packages=(
  "chromium       the browser tests (Playwright drives Debian's chromium)   required"
  "libnss3-tools  the browser tests (certutil makes chromium trust the test CA)  required"
  "postgresql     the schema and stores on a real PostgreSQL (bin/test-postgres.sh)  optional"
  "slapd          KerberosRealm: the LDAP server holding the test realm (Kerberos SSO tests)  optional"
  "krb5-kdc       KerberosRealm: the MIT KDC (krb5kdc)  optional"
  "krb5-kdc-ldap  KerberosRealm: the KDC's LDAP backend, the one that keeps delegation allow-lists  optional"
  "krb5-admin-server  KerberosRealm: kadmin.local, adds principals and exports keytabs  optional"
  "apache2-bin    ApacheBackend: a real Apache as the single sign-on backend  optional"
  "libapache2-mod-auth-gssapi  ApacheBackend: Kerberos (Negotiate) sign-in in Apache  optional"
  "apache2        password vaulting against Apache httpd + mod_auth_basic (BasicAuthBackend)  optional"
  "libapache2-mod-auth-mellon  MellonBackend: mod_auth_mellon, a real SAML service provider in Apache (apache2-bin above)  optional"
  "wixl           the connector's MSI (-Ppackages: installer/build/msi.sh builds it from WiX XML)  optional"
  "msitools       MsiPackageTest: msiinfo and msiextract read the MSI's tables and files  optional"
  "curl           Http2ListenerTest: a real HTTP/2 client (curl --http2) against the public listener  optional"
  "systemd        DebPackagesTest: systemd-analyze verify and security on the units  optional"
  "haproxy        ClusterProcessesTest: the L4 load balancer in front of the server nodes  optional"
)
_db_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
_db_test_deps() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "== not a Debian system: make sure chromium (at /usr/bin/chromium or -Ddrawbridge.chromium=...) and certutil are installed"
    return 0
  fi
  local line pkg need=() required=()
  for line in "${_db_test_packages[@]}"; do
    pkg=${line%% *}
    _db_installed "$pkg" && continue
    need+=("$pkg")
    [ "${line##* }" = required ] && required+=("$pkg")
  done
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    if [ ${#required[@]} -gt 0 ]; then
      echo "error: the tests need Debian packages that are missing: run 'sudo apt-get install -y --no-install-recommends ${need[*]}' (or run ./test.sh as root, which installs them)." >&2
      exit 1
    fi
    echo "== ${need[*]} not installed and not root: the tests that need them are skipped (they say so; DRAWBRIDGE_REQUIRE_SSO_SERVERS=1 fails them instead)"
    return 0
  fi
  local t0 log
  t0=$(date +%s)
  log=$(mktemp /tmp/drawbridge-apt.XXXXXX.log)
  echo "== installing ${need[*]} (apt-get; log in $log)"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "error: installing ${need[*]} failed (apt-get's last lines above, all of it in $log): fix apt (network, sources), then run ./test.sh again." >&2
    exit 1
  fi
  echo "== installed ${need[*]} in $(( $(date +%s) - t0 )) s"
  rm -f "$log"
}
_db_test_deps
