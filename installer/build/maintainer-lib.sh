# Shared by the packages' maintainer scripts (pasted into each by build/package.sh, between the markers
# "# maintainer-lib" lines: a maintainer script must stand alone). Every path is under $DPKG_ROOT (empty on a normal
# install; set by 'dpkg --root DIR --force-script-chrootless', which the package tests use), so that nothing here
# touches the machine outside that root, and systemd is only asked when it runs this root.

# The numeric id of a user or group in $DPKG_ROOT's files (chown must not ask the host's NSS for a root it is not).
db_id() { awk -F: -v n="$2" '$1 == n { print $3 }' "$DPKG_ROOT/etc/$1"; }

# db_system_user NAME HOME COMMENT: a system user and group without a login shell, made once. An account of that name
# that is not a system one (root, or a uid from 1000 up: a person's login, say) is refused, as Debian's adduser --system
# refuses it: the service's files (keys, database, the settings with their passwords) would become that person's.
db_system_user() {
  db_uid=$(db_id passwd "$1")
  if [ -z "$db_uid" ]; then
    useradd --prefix "${DPKG_ROOT:-/}" --system --user-group --home-dir "$2" --no-create-home --shell /usr/sbin/nologin --comment "$3" "$1"
  elif [ "$db_uid" -eq 0 ] || [ "$db_uid" -ge 1000 ]; then
    echo "error: a user named '$1' exists already and is not a system user (uid $db_uid): the service would run as it and its" \
      "files (keys, database, settings with passwords) would be that account's. Rename or remove that account, then run" \
      "'sudo dpkg --configure -a'." >&2
    exit 1
  fi
}

# db_private_dir DIR USER: DIR (under the root) owned by USER, mode 0700, also when it exists.
db_private_dir() {
  mkdir -p "$DPKG_ROOT$1"
  chown "$(db_id passwd "$2"):$(db_id group "$2")" "$DPKG_ROOT$1"
  chmod 0700 "$DPKG_ROOT$1"
}

# db_secret_config FILE GROUP: a configuration file that may hold secrets, readable by root and the service's group.
db_secret_config() {
  chown "0:$(db_id group "$2")" "$DPKG_ROOT$1"
  chmod 0640 "$DPKG_ROOT$1"
}

# Whether systemd manages this root now (not a scratch root, not a container without systemd).
db_systemd() { [ -z "${DPKG_ROOT:-}" ] && [ -d /run/systemd/system ]; }

# db_enable UNIT: enabled as 'systemctl enable' would (the wants link), with systemd running or not.
db_enable() {
  mkdir -p "$DPKG_ROOT/etc/systemd/system/multi-user.target.wants"
  ln -sf "/lib/systemd/system/$1" "$DPKG_ROOT/etc/systemd/system/multi-user.target.wants/$1"
}

db_enabled() { [ -L "$DPKG_ROOT/etc/systemd/system/multi-user.target.wants/$1" ]; }
