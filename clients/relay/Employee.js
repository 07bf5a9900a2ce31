// Compiled by relay-compiler (clients/run.sh): a @refetchable fragment on
// Employee (needs Node and Query.node) and a @connection over employees.
import { graphql } from "relay-runtime";

export const card = graphql`
  fragment EmployeeCard_employee on Employee @refetchable(queryName: "EmployeeCardRefetchQuery") {
    id
    name
    role { id code title }
    manager { id name }
  }
`;

export const team = graphql`
  fragment Team_query on Query
  @refetchable(queryName: "TeamPaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 20 }, cursor: { type: "String" }) {
    employees(first: $count, after: $cursor) @connection(key: "Team_employees") {
      edges { node { id ...EmployeeCard_employee } }
    }
  }
`;

export const page = graphql`
  query EmployeePageQuery($id: ID!) {
    node(id: $id) { id ...EmployeeCard_employee @alias }
    ...Team_query
  }
`;
