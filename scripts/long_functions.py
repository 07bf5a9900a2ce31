#!/usr/bin/env python3
"""Longest functions under src/ (outside #[cfg(test)] modules), for issue 16:
    python3 scripts/long_functions.py [N]
prints the N longest (default 15) and how many exceed 80 lines. Counts by
indentation-matched braces, so it reads rustfmt-formatted code only."""
import os
import re
import sys
res=[]
for root,_,files in os.walk('src'):
    for f in files:
        if not f.endswith('.rs'): continue
        p=os.path.join(root,f); lines=open(p).read().split('\n')
        # stop at cfg(test)
        end=len(lines)
        for i,l in enumerate(lines):
            if l.strip()=='#[cfg(test)]': end=i;break
        i=0
        while i<end:
            m=re.match(r'^(\s*)(pub(\([^)]*\))?\s+)?(async\s+)?(const\s+)?fn\s+(\w+)',lines[i])
            if m:
                ind=len(m.group(1)); j=i
                while j<end and not lines[j].rstrip().endswith('{') and not lines[j].rstrip().endswith(';'): j+=1
                if j<end and lines[j].rstrip().endswith(';'): i=j+1; continue
                k=j+1
                while k<end and not (lines[k].startswith(' '*ind+'}') and len(lines[k])-len(lines[k].lstrip())==ind): k+=1
                res.append((k-i+1,p,m.group(6)))
                i=k+1; continue
            i+=1
res.sort(reverse=True)
for n,p,name in res[:int(sys.argv[1]) if len(sys.argv)>1 else 15]: print(n,p,name)
print('over 80:',sum(1 for r in res if r[0]>80))
