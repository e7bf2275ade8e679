#!/usr/bin/env bash
# Debian packages the project needs: Chromium (browser tests), gettext (compilemessages),
# WeasyPrint's Pango and HarfBuzz subsetting library. Installs only what is missing.
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v msgfmt >/dev/null 2>&1 || needed+=(gettext)
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || needed+=(libpango-1.0-0 libpangoft2-1.0-0)
dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || needed+=(libharfbuzz-subset0)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || needed+=(fonts-dejavu-core)
if [ ${#needed[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${needed[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${needed[@]}" >/dev/null
fi
