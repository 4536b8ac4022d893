# Sourced, not run: a private, quiet Wine for pipecat's tests and demo.
#
# The prefix lives in the build tree so that nothing outside it is touched,
# and one wineserver is kept up for a whole run (a cold start costs about half
# a second, a warm one a few milliseconds). wineserver and Wine's services
# inherit the stdio of the first Wine program started, so they are started
# here with stdio on /dev/null: otherwise a $(...) or a pipe around the first
# test would never see EOF. Only this prefix's wineserver is ever stopped.
#
# On Windows (MSYS2) the same functions do nothing and WINE is empty, so
# "$WINE" pipecat.exe runs the program natively.

: "${BUILD:=build}"
case "$(uname -s)" in
MINGW*|MSYS*|CYGWIN*)
	WINE=""
	wine_start() { :; }
	wine_stop() { :; }
	;;
*)
	WINEPREFIX="$(cd "$BUILD" 2>/dev/null && pwd || echo "$PWD/$BUILD")/wineprefix"
	WINEDEBUG=-all
	# No Mono or Gecko: pipecat needs neither, and their installers would
	# ask questions or try the network while the prefix is made.
	WINEDLLOVERRIDES="mscoree,mshtml="
	WINE=wine
	export WINEPREFIX WINEDEBUG WINEDLLOVERRIDES

	wine_start() {
		mkdir -p "$WINEPREFIX"
		if [ ! -f "$WINEPREFIX/.pipecat-ready" ]; then
			echo "wine: creating the prefix $WINEPREFIX (once)" >&2
			wineboot -i </dev/null >/dev/null 2>&1
			wineserver -w
			touch "$WINEPREFIX/.pipecat-ready"
		fi
		wineserver -p </dev/null >/dev/null 2>&1
		wine cmd /c exit </dev/null >/dev/null 2>&1
	}
	wine_stop() {
		wineserver -k </dev/null >/dev/null 2>&1 || true
	}
	;;
esac
