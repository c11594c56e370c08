/**
 * SOSL from Apex: the `Search` class (Search.query, Search.find and their results) and `runSearch`, which inline
 * `[FIND ...]` uses too. The search itself is DatabaseApi.search: in a test it returns the records given to
 * Test.setFixedSearchResults (Apex Developer Guide, "Adding SOSL Queries to Unit Tests"); outside tests it is an
 * UnsupportedFeature (the local org keeps no search index).
 * Source: Apex Reference, "Search Class" (query(query) returns List<List<SObject>>, find(searchQuery) returns
 * Search.SearchResults; both take an optional System.AccessLevel), "SearchResults Class" (get(sObjectType): the
 * Search.SearchResult objects of one object of the query), "SearchResult Class" (getSObject()).
 */
import { UnsupportedFeature } from '../core/errors.js';
import type { NativeClass, Runtime, SearchOptions } from '../core/runtime.js';
import { ApexList, NativeInstance, SObjectValue, type ApexValue } from '../core/values.js';
import { accessArg, callerBind } from './apex-database.js';
import { native, reqStr, unsupported } from './util.js';

/** Runs SOSL text (inline or dynamic) for the running code: a List<List<SObject>>. */
export function runSearch(rt: Runtime, text: string, opts: Omit<SearchOptions, 'fixedResults'>): ApexList {
  if (!rt.db.search) throw new UnsupportedFeature('SOSL');
  const fixedResults = rt.test ? (rt.test.fixedSearchResults ?? []) : undefined;
  return rt.db.search(text, { ...opts, fixedResults });
}

function dynamicSearch(rt: Runtime, a: ApexValue[]): ApexList {
  return runSearch(rt, reqStr(a[0]), { bind: callerBind(rt), userMode: accessArg(a[1]), line: rt.where().line });
}

interface SearchResultsState {
  byObject: Map<string, SObjectValue[]>;
}

export const SearchClass: NativeClass = {
  name: 'Search',
  aliases: ['System.Search'],
  statics: {
    query: (rt, a) => dynamicSearch(rt, a),
    find: (rt, a) => {
      const lists = dynamicSearch(rt, a);
      const byObject = new Map<string, SObjectValue[]>();
      for (const l of lists.items as ApexList[]) byObject.set(l.elemType.name.toLowerCase(), l.items as SObjectValue[]);
      return new NativeInstance<SearchResultsState>('Search.SearchResults', { byObject });
    },
    suggest: () => unsupported('Search.suggest'),
  },
};

export const SearchResultsClass: NativeClass = {
  name: 'Search.SearchResults',
  methods: {
    get: (_rt, a, s) => {
      const st = native<SearchResultsState>(s, 'Search.SearchResults').state;
      const recs = st.byObject.get(reqStr(a[0]).toLowerCase());
      // Only the objects of the query's RETURNING clause have results; the platform's answer for another name is not
      // documented.
      if (!recs) return unsupported(`Search.SearchResults.get of an object not in RETURNING (${reqStr(a[0])})`);
      return new ApexList(
        { name: 'Search.SearchResult' },
        recs.map((r) => new NativeInstance<{ record: SObjectValue }>('Search.SearchResult', { record: r })),
      );
    },
  },
};

export const SearchResultClass: NativeClass = {
  name: 'Search.SearchResult',
  methods: {
    getsobject: (_rt, _a, s) => native<{ record: SObjectValue }>(s, 'Search.SearchResult').state.record,
    // Snippets and highlights come from WITH SNIPPET / WITH HIGHLIGHT, which the local org does not run.
    getsnippet: () => unsupported('Search.SearchResult.getSnippet'),
    getsnippets: () => unsupported('Search.SearchResult.getSnippets'),
  },
};

export const searchClasses: NativeClass[] = [SearchClass, SearchResultsClass, SearchResultClass];
