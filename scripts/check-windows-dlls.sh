#!/bin/sh
# check-windows-dlls.sh -- checks the Windows zip's DLLs: every DLL that a shipped .exe or .dll
# imports (objdump -p) is in the zip or is part of Windows, and every DLL in the zip is imported
# Usage: scripts/check-windows-dlls.sh build-win/nine43-VERSION-windows-x64.zip
set -eu

zip=${1:?usage: $0 ZIP}
objdump=x86_64-w64-mingw32-objdump

# What Windows itself has in System32 (lower case), and nothing else: the libraries' own
# imports as built today, plus the C runtime. A name missing here and from the zip fails the
# check, so a new import is looked at before it ships.
system="advapi32.dll bcrypt.dll cfgmgr32.dll gdi32.dll imm32.dll iphlpapi.dll kernel32.dll
    msvcrt.dll ole32.dll oleaut32.dll setupapi.dll shell32.dll user32.dll version.dll winmm.dll
    ws2_32.dll dinput8.dll hid.dll"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unzip -q "$zip" -d "$work"
shipped=$(find "$work" -iname '*.dll' -exec basename {} \; | tr 'A-Z' 'a-z')
imported=""
fail=0
for f in $(find "$work" -iname '*.exe' -o -iname '*.dll' | LC_ALL=C sort); do
    for dll in $($objdump -p "$f" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z'); do
        imported="$imported $dll"
        case " $(echo $shipped) " in *" $dll "*) continue ;; esac
        case " $(echo $system) " in *" $dll "*) continue ;; esac
        echo "check-windows-dlls: $(basename "$f") imports $dll, which is neither in the zip nor part of Windows" >&2
        fail=1
    done
done
for dll in $shipped; do
    case " $imported " in *" $dll "*) ;; *)
        echo "check-windows-dlls: $dll is in the zip but nothing imports it" >&2
        fail=1
        ;;
    esac
done
[ "$fail" -eq 0 ] || exit 1
echo "check-windows-dlls: $(echo $shipped | wc -w) DLLs shipped ($(echo $shipped)); every import is shipped or part of Windows"
