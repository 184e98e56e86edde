# bash completion for istio-lint (installed to share/bash-completion/completions/istio-lint).

_istio_lint() {
  local cur prev words cword
  _init_completion 2>/dev/null || {
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  }
  local commands="analyze explain replay rules serve simulate help version"
  local flags="-A --all-namespaces -n --namespace -o --output --failure-threshold --output-threshold
    -S --suppress -a --analyzer --meshConfigFile --meshNetworksFile --color -v --verbose
    -L --list-analyzers --timing --no-default-ingress --baseline --write-baseline --report-files
    --config --cluster --harness -R --recursive -h --help"

  if [[ ${words[1]} == explain ]]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "--color --raw --help" -- "$cur"))
    elif [[ $prev == --color ]]; then
      COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$(istio-lint rules 2>/dev/null | awk '$1 ~ /^(IST|IL)[0-9]+$/ {print $1}')" -- "${cur^^}"))
    fi
    return
  fi
  if [[ ${words[1]} == replay ]]; then
    case $prev in
      -o|--output) COMPREPLY=($(compgen -W "text json jsonl" -- "$cur")); return ;;
      --traffic|--meshConfigFile) COMPREPLY=($(compgen -f -- "$cur")); return ;;
      --format) COMPREPLY=($(compgen -W "auto log" -- "$cur")); return ;;
      --gateway|--from|--random-value|--fail-under) return ;;
    esac
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "--traffic --diff --gateway --from --random-value --coverage --fail-under --format
        -o --output --meshConfigFile -h --help" -- "$cur"))
    else
      COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return
  fi
  if [[ ${words[1]} == serve ]]; then
    case $prev in
      --meshConfigFile) COMPREPLY=($(compgen -f -- "$cur")); return ;;
      --gateway|--listen|--upstream|--workers|--seed) return ;;
    esac
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "--gateway --listen --upstream --workers --access-log --seed --meshConfigFile
        -h --help" -- "$cur"))
    else
      COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return
  fi
  if [[ ${words[1]} == simulate ]]; then
    case $prev in
      --scheme) COMPREPLY=($(compgen -W "http https tls tcp" -- "$cur")); return ;;
      -o|--output) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
      --meshConfigFile) COMPREPLY=($(compgen -f -- "$cur")); return ;;
      --gateway|--from|--to|--host|--sni|--port|--path|--method|-H|--header|--random-value) return ;;
    esac
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "-i --interactive --gateway --from --to --mtls --sidecar-ingress-tls --host --sni --port
        --scheme --path --method -H --header --random-value -o --output --meshConfigFile -h --help" -- "$cur"))
    else
      COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return
  fi
  case $prev in
    -o|--output)
      COMPREPLY=($(compgen -W "text json yaml sarif junit sarif= junit= json= yaml= text=" -- "$cur"))
      [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
      return ;;
    --failure-threshold|--output-threshold)
      COMPREPLY=($(compgen -W "Info Warning Error" -- "$cur")); return ;;
    --color)
      COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    -a|--analyzer)
      COMPREPLY=($(compgen -W "$(istio-lint --list-analyzers 2>/dev/null | sed -n 's/^\* \(.*\):$/\1/p')" -- "$cur"))
      return ;;
    -n|--namespace|-S|--suppress|--cluster)
      return ;;
    --baseline|--write-baseline|--meshConfigFile|--meshNetworksFile|--config)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ $cword -eq 1 ]]; then
    COMPREPLY=($(compgen -W "$commands" -- "$cur") $(compgen -f -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _istio_lint istio-lint
