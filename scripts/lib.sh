# shellcheck shell=bash
# Shell functions shared by ./cove and ./test: finding a JDK 21+, Maven, and system packages.
# Source it (bash); it only defines functions. They report on stderr and stop with `exit 1`.

COVE_MIN_JAVA=21

cove_die() {
    printf '%s\n' "$*" >&2
    exit 1
}

cove_warn() {
    printf 'warning: %s\n' "$*" >&2
}

# Sets REPLY to the major version of the JDK at $1 (a JDK's home), from its release file, read by bash
# itself (every command a lookup runs is a few milliseconds of each cove command); running it is the
# fallback.
cove_java_major() {
    local home=$1 version="" line
    if [[ -r $home/release ]]; then
        while IFS= read -r line; do
            if [[ $line == JAVA_VERSION=* ]]; then
                version=${line#JAVA_VERSION=}
                version=${version//\"/}
                break
            fi
        done <"$home/release"
    fi
    if [[ -z $version && -x $home/bin/java ]]; then
        version=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    version=${version#1.}            # 1.8.0_392 is Java 8
    REPLY=${version%%[!0-9]*}
}

# Whether $1 is the home of a JDK (it has javac too) of version 21 or newer; sets REPLY to its major.
cove_is_jdk21() {
    local home=$1
    [[ -x $home/bin/java && -x $home/bin/javac ]] || return 1
    cove_java_major "$home"
    [[ -n $REPLY && $REPLY -ge $COVE_MIN_JAVA ]]
}

# Sets COVE_JAVA_HOME to a JDK 21+: JAVA_HOME if it is one, else the newest in /usr/lib/jvm,
# else the one `java` on PATH belongs to; COVE_JAVA_MAJOR to its major version. Stops with what to
# install when there is none.
cove_find_jdk() {
    local home best="" best_major=0 java
    if [[ -n ${JAVA_HOME:-} ]] && cove_is_jdk21 "$JAVA_HOME"; then
        COVE_JAVA_HOME=$JAVA_HOME
        COVE_JAVA_MAJOR=$REPLY
        return
    fi
    for home in /usr/lib/jvm/*/; do
        home=${home%/}
        if cove_is_jdk21 "$home" && (( REPLY > best_major )); then
            best=$home
            best_major=$REPLY
        fi
    done
    if [[ -n $best ]]; then
        COVE_JAVA_HOME=$best
        COVE_JAVA_MAJOR=$best_major
        return
    fi
    if java=$(command -v java) && home=$(dirname "$(dirname "$(readlink -f "$java")")") && cove_is_jdk21 "$home"; then
        COVE_JAVA_HOME=$home
        COVE_JAVA_MAJOR=$REPLY
        return
    fi
    cove_die "Cove needs a JDK $COVE_MIN_JAVA or newer and found none (JAVA_HOME, /usr/lib/jvm, java on PATH)." \
        "Install one, e.g. Temurin $COVE_MIN_JAVA+ from https://adoptium.net, and set JAVA_HOME to it."
}

cove_is_root() {
    [[ $(id -u) -eq 0 ]]
}

# Whether the command $1 is there; a name with a slash is a path to a file a package provides.
cove_have() {
    if [[ $1 == */* ]]; then
        [[ -e $1 ]]
    else
        command -v "$1" >/dev/null 2>&1
    fi
}

# Installs the Debian package $2 when the command $1 is missing and this runs as root with apt-get.
# Answers false when the command is still missing.
cove_install_if_missing() {
    local command=$1 package=$2
    cove_have "$command" && return 0
    if cove_is_root && cove_have apt-get; then
        printf 'Installing %s…\n' "$package" >&2
        export DEBIAN_FRONTEND=noninteractive
        # A fresh machine may have no package lists yet: update once when the first try fails.
        apt-get install -y -q "$package" >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null && apt-get install -y -q "$package" >/dev/null; } \
            || cove_warn "apt-get could not install $package"
    fi
    cove_have "$command"
}

# Stops unless the command $1 is there (installing the package $2 when possible).
cove_require() {
    cove_install_if_missing "$1" "$2" \
        || cove_die "Cove needs $1: install the package $2 (e.g. sudo apt-get install $2) and run this again."
}

# Maven must run on some Java; when there is none on PATH or in JAVA_HOME, let it run on the JDK found.
cove_require_maven() {
    cove_require mvn maven
    if [[ -z ${JAVA_HOME:-} ]] && ! cove_have java; then
        export JAVA_HOME=$COVE_JAVA_HOME
    fi
}

# The npm packages every node function can require (runtimes/node/package.json: OpenWhisk's node
# runtime has them), installed into $1/runtimes/node/target/node_modules where missing or older than
# that list; npm itself is installed first where missing. Prints that folder; false when it could not
# be installed.
cove_node_packages() {
    local list=$1/runtimes/node/package.json dir=$1/runtimes/node/target
    if [[ -d $dir/node_modules ]] && cmp -s "$list" "$dir/installed.json"; then
        printf '%s\n' "$dir/node_modules"
        return 0
    fi
    cove_install_if_missing npm npm || return 1
    mkdir -p "$dir"
    (
        # one install at a time: a second ./cove or ./test started meanwhile waits, then finds it done
        flock 9 2>/dev/null || true
        cmp -s "$list" "$dir/installed.json" && exit 0
        printf 'Installing the npm packages of node functions…\n' >&2
        rm -rf "$dir/node_modules" "$dir/installed.json"
        cp "$list" "$dir/package.json"
        npm install --prefix "$dir" --omit=dev --no-package-lock --no-audit --no-fund --loglevel=error >&2 \
            && cp "$list" "$dir/installed.json"
    ) 9>"$dir/.install.lock" || return 1
    printf '%s\n' "$dir/node_modules"
}
