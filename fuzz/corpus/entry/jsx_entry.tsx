export const View = () => <div className="x">don't {1 < 2 ? <b/> : null}</div>;
export const id = <T,>(x: T) => x;
