#!/bin/sh
# make demo: a real round trip through a named pipe under Wine (natively on
# Windows): `pipecat serve` on one side, `pipecat connect` on the other, each
# sending a line to the other, then both exit 0.
set -eu
: "${BUILD:=build}"
. scripts/wine-env.sh
wine_start
trap wine_stop EXIT INT TERM

PIPECAT="$BUILD/pipecat.exe"
D="$BUILD/demo"
NAME="pipecat-demo-$$"
rm -rf "$D" && mkdir -p "$D"
printf 'hello from the server\n' >"$D/server-in"
printf 'hello from the client\n' >"$D/client-in"

echo "demo: pipecat serve -v -q 1 $NAME   (stdin: server-in)"
$WINE "$PIPECAT" serve -v -q 1 "$NAME" <"$D/server-in" >"$D/server-out" 2>"$D/server-err" &
server=$!
i=0
until grep -q "listening on" "$D/server-err" 2>/dev/null; do
	i=$((i + 1))
	if [ "$i" -gt 400 ] || ! kill -0 "$server" 2>/dev/null; then
		echo "demo: the server did not start:" >&2
		cat "$D/server-err" >&2
		exit 1
	fi
	sleep 0.05
done
sed 's/^/  server: /' "$D/server-err"

echo "demo: pipecat connect -v $NAME   (stdin: client-in)"
client_status=0
$WINE "$PIPECAT" connect -v "$NAME" <"$D/client-in" >"$D/client-out" 2>"$D/client-err" ||
    client_status=$?
server_status=0
wait "$server" || server_status=$?
sed 's/^/  client: /' "$D/client-err"
sed 's/^/  server: /' "$D/server-err" | tail -n +2

echo "demo: the client received: $(cat "$D/client-out")"
echo "demo: the server received: $(cat "$D/server-out")"
echo "demo: exit status: client $client_status, server $server_status"
if cmp -s "$D/client-out" "$D/server-in" && cmp -s "$D/server-out" "$D/client-in" &&
    [ "$client_status" -eq 0 ] && [ "$server_status" -eq 0 ]; then
	echo "demo: round trip OK"
else
	echo "demo: round trip FAILED" >&2
	exit 1
fi
